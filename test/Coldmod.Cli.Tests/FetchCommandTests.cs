using Coldmod.TestSupport;

namespace Coldmod.Cli.Tests;

[Collection(SampleCheckoutCollection.Name)]
public sealed class FetchCommandTests(SampleCheckout sample) : IDisposable
{
    // Written by a run of an older build, in which OrderService lived in OrderService.cs. Billing was never loaded, so
    // none of its keys is here; two keys are gone from the checkout since; the designer file is ignored by the rootmarker.
    internal const string Heatmap = """
        {"format":1,"entries":[
          {"key":"Shop.Cart.#ctor","count":4,"file":"src/Shop/Cart.cs","line":8},
          {"key":"Shop.Cart.Add(System.Decimal)","count":9,"file":"src/Shop/Cart.cs","line":12},
          {"key":"Shop.Cart.Total","count":0,"file":"src/Shop/Cart.cs","line":17},
          {"key":"Shop.Cart.Total=>0","count":0,"file":"src/Shop/Cart.cs","line":17},
          {"key":"Shop.Generated.X.Value","count":0,"file":"src/Shop/Generated/X.Designer.cs","line":5},
          {"key":"Shop.Legacy.Gone","count":0,"file":"src/Shop/Legacy.cs","line":4},
          {"key":"Shop.Old.Gone","count":5,"file":"src/Shop/Old.cs","line":3},
          {"key":"Shop.Orders.OrderService.#ctor(System.Int32)","count":4,"file":"src/Shop/OrderService.cs","line":9},
          {"key":"Shop.Orders.OrderService.Cancel(System.Int32)","count":3,"file":"src/Shop/OrderService.cs","line":12},
          {"key":"Shop.Orders.OrderService.get_Open","count":1,"file":"src/Shop/OrderService.cs","line":26}
        ]}
        """;

    internal const string ColdText = """
        src/Billing/Invoice.cs
          0  Billing.Invoice.#ctor(System.String)  src/Billing/Invoice.cs:5
          0  Billing.Invoice.Describe  src/Billing/Invoice.cs:14
        src/Billing/Native.cs
          0  Billing.Native.Call()  src/Billing/Native.cs:7
          0  Billing.Native.Call()$2  src/Billing/Native.cs:12
        src/Shop/Cart.cs
          0  Shop.Cart.Total  src/Shop/Cart.cs:17
          0  Shop.Cart.Total=>0  src/Shop/Cart.cs:17
        src/Shop/Compat/Net8Shims.cs
          0  Shop.Compat.Net8Shims.Clamp(System.Int32)  src/Shop/Compat/Net8Shims.cs:5
        src/Shop/Orders.cs
          0  Shop.Orders.OrderService.Cancel(System.String)  src/Shop/Orders.cs:21
          0  Shop.Orders.OrderService.ShipAsync(System.Int32)  src/Shop/Orders.cs:26
        (not found locally)
          0  Shop.Legacy.Gone  src/Shop/Legacy.cs:4
          5  Shop.Old.Gone  src/Shop/Old.cs:3

        """;

    internal const string AllText = """
        src/Billing/Invoice.cs
          0  Billing.Invoice.#ctor(System.String)  src/Billing/Invoice.cs:5
          0  Billing.Invoice.Describe  src/Billing/Invoice.cs:14
        src/Billing/Native.cs
          0  Billing.Native.Call()  src/Billing/Native.cs:7
          0  Billing.Native.Call()$2  src/Billing/Native.cs:12
        src/Shop/Cart.cs
          4  Shop.Cart.#ctor  src/Shop/Cart.cs:8
          9  Shop.Cart.Add(System.Decimal)  src/Shop/Cart.cs:12
          0  Shop.Cart.Total  src/Shop/Cart.cs:17
          0  Shop.Cart.Total=>0  src/Shop/Cart.cs:17
        src/Shop/Compat/Net8Shims.cs
          0  Shop.Compat.Net8Shims.Clamp(System.Int32)  src/Shop/Compat/Net8Shims.cs:5
        src/Shop/Orders.cs
          4  Shop.Orders.OrderService.#ctor(System.Int32)  src/Shop/Orders.cs:9
          3  Shop.Orders.OrderService.Cancel(System.Int32)  src/Shop/Orders.cs:16
          0  Shop.Orders.OrderService.Cancel(System.String)  src/Shop/Orders.cs:21
          0  Shop.Orders.OrderService.ShipAsync(System.Int32)  src/Shop/Orders.cs:26
          1  Shop.Orders.OrderService.get_Open  src/Shop/Orders.cs:30
        (not found locally)
          0  Shop.Legacy.Gone  src/Shop/Legacy.cs:4
          5  Shop.Old.Gone  src/Shop/Old.cs:3

        """;

    internal const string ColdJson =
        "{\"entries\":[" +
        "{\"key\":\"Billing.Invoice.#ctor(System.String)\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Billing/Invoice.cs\",\"line\":5}," +
        "{\"key\":\"Billing.Invoice.Describe\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Billing/Invoice.cs\",\"line\":14}," +
        "{\"key\":\"Billing.Native.Call()\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Billing/Native.cs\",\"line\":7}," +
        "{\"key\":\"Billing.Native.Call()$2\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Billing/Native.cs\",\"line\":12}," +
        "{\"key\":\"Shop.Cart.Total\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Cart.cs\",\"line\":17}," +
        "{\"key\":\"Shop.Cart.Total=>0\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Cart.cs\",\"line\":17}," +
        "{\"key\":\"Shop.Compat.Net8Shims.Clamp(System.Int32)\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Compat/Net8Shims.cs\",\"line\":5}," +
        "{\"key\":\"Shop.Orders.OrderService.Cancel(System.String)\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Orders.cs\",\"line\":21}," +
        "{\"key\":\"Shop.Orders.OrderService.ShipAsync(System.Int32)\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Orders.cs\",\"line\":26}" +
        "],\"older_versions\":[]}\n";

    private const string AllJson =
        "{\"entries\":[" +
        "{\"key\":\"Billing.Invoice.#ctor(System.String)\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Billing/Invoice.cs\",\"line\":5}," +
        "{\"key\":\"Billing.Invoice.Describe\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Billing/Invoice.cs\",\"line\":14}," +
        "{\"key\":\"Billing.Native.Call()\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Billing/Native.cs\",\"line\":7}," +
        "{\"key\":\"Billing.Native.Call()$2\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Billing/Native.cs\",\"line\":12}," +
        "{\"key\":\"Shop.Cart.#ctor\",\"count\":4,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Cart.cs\",\"line\":8}," +
        "{\"key\":\"Shop.Cart.Add(System.Decimal)\",\"count\":9,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Cart.cs\",\"line\":12}," +
        "{\"key\":\"Shop.Cart.Total\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Cart.cs\",\"line\":17}," +
        "{\"key\":\"Shop.Cart.Total=>0\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Cart.cs\",\"line\":17}," +
        "{\"key\":\"Shop.Compat.Net8Shims.Clamp(System.Int32)\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Compat/Net8Shims.cs\",\"line\":5}," +
        "{\"key\":\"Shop.Orders.OrderService.#ctor(System.Int32)\",\"count\":4,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Orders.cs\",\"line\":9}," +
        "{\"key\":\"Shop.Orders.OrderService.Cancel(System.Int32)\",\"count\":3,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Orders.cs\",\"line\":16}," +
        "{\"key\":\"Shop.Orders.OrderService.Cancel(System.String)\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Orders.cs\",\"line\":21}," +
        "{\"key\":\"Shop.Orders.OrderService.ShipAsync(System.Int32)\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Orders.cs\",\"line\":26}," +
        "{\"key\":\"Shop.Orders.OrderService.get_Open\",\"count\":1,\"estimated\":0,\"estimate_error\":0,\"file\":\"src/Shop/Orders.cs\",\"line\":30}" +
        "],\"older_versions\":[]}\n";

    private const string Summary = "9 cold of 14 srcs (64%); 2 heatmap keys not found locally";

    private const string DuplicateKeyWarning =
        "src/Billing/Native.cs(12): warning CM0006: Methods at src/Billing/Native.cs:7 and src/Billing/Native.cs:12 share the documentation comment ID 'Billing.Native.Call()' (overloads that differ only in function pointer types do); the second is keyed 'Billing.Native.Call()$2'.";

    private readonly TempDirectory _heatmaps = new("coldmod-cli-heatmaps");

    public void Dispose() => _heatmaps.Dispose();

    [Fact]
    public void Lists_the_cold_srcs_at_their_local_location_then_the_keys_not_found_locally()
    {
        var result = Cli.Run(sample.Root, "fetch", "--from", _heatmaps.Write("heatmap.json", Heatmap));

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(ColdText, result.Out);
        Assert.Equal([DuplicateKeyWarning, Summary], result.ErrorLines);
    }

    [Fact]
    public void Estimated_counts_of_a_heatmap_file_read_as_estimates_in_text_and_json()
    {
        var file = _heatmaps.Write("heatmap.json", Heatmap.Replace(
            "\"key\":\"Shop.Cart.Add(System.Decimal)\",\"count\":9,\"file\":\"src/Shop/Cart.cs\",\"line\":12}",
            "\"key\":\"Shop.Cart.Add(System.Decimal)\",\"count\":12345,\"file\":\"src/Shop/Cart.cs\",\"line\":12,\"estimated\":8249,\"estimate_error\":148.1}",
            StringComparison.Ordinal));

        var text = Cli.Run(sample.Root, "fetch", "--from", file, "--all");
        var json = Cli.Run(sample.Root, "fetch", "--from", file, "--all", "--format", "json");

        Assert.Equal(ExitCodes.Success, text.ExitCode);
        Assert.Contains("  ~12,345 (±1.2%)  Shop.Cart.Add(System.Decimal)  src/Shop/Cart.cs:12", text.Out, StringComparison.Ordinal);
        Assert.Contains("  4  Shop.Cart.#ctor  src/Shop/Cart.cs:8", text.Out, StringComparison.Ordinal);
        Assert.Contains("\"key\":\"Shop.Cart.Add(System.Decimal)\",\"count\":12345,\"estimated\":8249,\"estimate_error\":148.1", json.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void All_lists_every_local_src_with_its_count()
    {
        var result = Cli.Run(sample.Root, "fetch", "--from", _heatmaps.Write("heatmap.json", Heatmap), "--all");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(AllText, result.Out);
        Assert.Equal([DuplicateKeyWarning, Summary], result.ErrorLines);
    }

    [Fact]
    public void Json_lists_the_cold_srcs_in_the_same_order_without_the_keys_not_found_locally()
    {
        var result = Cli.Run(sample.Root, "fetch", "--from", _heatmaps.Write("heatmap.json", Heatmap), "--format", "json");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(ColdJson, result.Out);
        Assert.Equal([DuplicateKeyWarning, Summary], result.ErrorLines);
    }

    [Fact]
    public void Json_with_all_lists_every_local_src()
    {
        var result = Cli.Run(sample.Root, "fetch", "--all", "--format", "json", "--from", _heatmaps.Write("heatmap.json", Heatmap));

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(AllJson, result.Out);
    }

    [Fact]
    public void Text_format_is_the_default()
    {
        var result = Cli.Run(sample.Root, "fetch", "--format", "text", "--from", _heatmaps.Write("heatmap.json", Heatmap));

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(ColdText, result.Out);
    }

    [Fact]
    public void Reads_the_builds_the_build_options_select_and_says_nothing_of_keys_not_found_when_all_are_found()
    {
        var heatmap = _heatmaps.Write("billing.json", """
            {"format":1,"entries":[
              {"key":"Billing.Invoice.Describe","count":2,"file":"src/Billing/Invoice.cs","line":14},
              {"key":"Billing.Native.Call()$2","count":1,"file":"src/Billing/Native.cs","line":12}
            ]}
            """);

        var result = Cli.Run(sample.Combine("src/Billing"), "fetch", "--from", heatmap, "-a", "bin/Release/net10.0/Billing.dll", "--all");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(
            """
            src/Billing/Invoice.cs
              0  Billing.Invoice.#ctor(System.String)  src/Billing/Invoice.cs:5
              2  Billing.Invoice.Describe  src/Billing/Invoice.cs:14
            src/Billing/Native.cs
              0  Billing.Native.Call()  src/Billing/Native.cs:7
              1  Billing.Native.Call()$2  src/Billing/Native.cs:12

            """,
            result.Out);
        Assert.Equal([DuplicateKeyWarning, "2 cold of 4 srcs (50%)"], result.ErrorLines);
    }

    [Fact]
    public void Every_src_is_cold_in_an_empty_heatmap_and_nothing_is_listed_when_none_is_cold()
    {
        var empty = Cli.Run(sample.Root, "fetch", "-c", "Staging", "--from", _heatmaps.Write("empty.json", "{\"format\":1,\"entries\":[]}"));
        var hot = Cli.Run(sample.Root, "fetch", "-c", "Staging", "--from", _heatmaps.Write("hot.json", """
            {"format":1,"entries":[
              {"key":"Billing.Invoice.#ctor(System.String)","count":1,"file":"src/Billing/Invoice.cs","line":5},
              {"key":"Billing.Invoice.Describe","count":1,"file":"src/Billing/Invoice.cs","line":14},
              {"key":"Billing.Native.Call()","count":1,"file":"src/Billing/Native.cs","line":7},
              {"key":"Billing.Native.Call()$2","count":1,"file":"src/Billing/Native.cs","line":12}
            ]}
            """));

        Assert.Equal(ExitCodes.Success, empty.ExitCode);
        Assert.Equal(4, empty.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(l => l.StartsWith("  0  ", StringComparison.Ordinal)));
        Assert.Equal("4 cold of 4 srcs (100%)", empty.ErrorLines[^1]);
        Assert.Equal(ExitCodes.Success, hot.ExitCode);
        Assert.Equal("", hot.Out);
        Assert.Equal("0 cold of 4 srcs (0%)", hot.ErrorLines[^1]);
    }

    [Fact]
    public void A_relative_heatmap_path_is_resolved_against_the_working_directory()
    {
        var heatmap = _heatmaps.Write("heatmap.json", Heatmap);
        var workingDirectory = sample.Combine("src/Shop");

        var result = Cli.Run(workingDirectory, "fetch", "--from", Path.GetRelativePath(workingDirectory, heatmap));

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(ColdText, result.Out);
    }

    [Fact]
    public void A_missing_heatmap_file_is_named_in_one_line()
    {
        var missing = _heatmaps.Combine("nowhere.json");

        var result = Cli.Run(sample.Root, "fetch", "--from", missing);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal($"coldmod: error: Heatmap file not found: {missing}\n", result.Error);
    }

    [Theory]
    [InlineData("", "it is empty (no process that was run with COLDMOD_HEATMAP_FILE set to it has exited yet)")]
    [InlineData("{\"format\":1,\"entries\":[", "it is not valid JSON (")]
    [InlineData("{\"format\":2,\"entries\":[]}", "it is format 2, and this version of Coldmod reads format 1")]
    [InlineData("{\"format\":1,\"srcs\":[]}", "\"entries\" is missing or not an array")]
    [InlineData("{\"format\":1,\"entries\":[{\"key\":\"A\",\"count\":1.5,\"file\":\"a.cs\",\"line\":1}]}", "entries[0].count (A) is missing or not a non-negative integer")]
    public void A_malformed_heatmap_file_is_named_in_one_line_with_the_problem(string content, string problem)
    {
        var heatmap = _heatmaps.Write("heatmap.json", content);

        var result = Cli.Run(sample.Root, "fetch", "--from", heatmap);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"coldmod: error: Heatmap file {heatmap} is malformed: {problem}", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_heatmap_file_is_read_before_the_builds_so_its_problem_is_the_one_reported()
    {
        var result = Cli.Run(sample.Root, "fetch", "-c", "Debug", "--from", _heatmaps.Combine("nowhere.json"));

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.StartsWith("coldmod: error: Heatmap file not found: ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_a_build_the_error_is_the_one_srcs_gives()
    {
        var result = Cli.Run(sample.Root, "fetch", "-c", "Debug", "--from", _heatmaps.Write("heatmap.json", Heatmap));

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal(
            $"coldmod: error CM0007: No Debug build found under {sample.Root} (looked for bin/Debug/**/*.dll with a portable PDB); build one with: dotnet build -c Debug\n",
            result.Error);
    }

    [Theory]
    [InlineData("fetch", "--from", "h.json", "--format", "xml")]
    [InlineData("fetch", "--from", " ")]
    [InlineData("fetch", "--from", "h.json", "-c", "Debug", "-a", "Shop.dll")]
    [InlineData("fetch", "--from", "h.json", "--configuration", "../Release")]
    [InlineData("fetch", "--from", "h.json", "--source-root", "/_/")]
    public void Bad_option_values_are_usage_errors_that_point_at_the_verb_help(params string[] args)
    {
        var result = Cli.Run(sample.Root, args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.All(result.ErrorLines[..^1], line => Assert.StartsWith("coldmod: error: ", line, StringComparison.Ordinal));
        Assert.Equal("Run 'coldmod fetch --help' for its options.", result.ErrorLines[^1]);
    }

    [Fact]
    public void A_from_without_its_file_is_named_in_the_error()
    {
        var result = Cli.Run(sample.Root, "fetch", "--all", "--from");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(["coldmod: error: Option '--from' needs a value.", "Run 'coldmod fetch --help' for its options."], result.ErrorLines);
    }
}
