using System.Text.Json;
using System.Text.RegularExpressions;
using Coldmod.TestSupport;

namespace Coldmod.Cli.Tests;

// The heatmap of FetchCommandTests, served by a real server: fetch reconciles it exactly as it does a heatmap file.
[Collection(SampleCheckoutCollection.Name)]
public sealed class FetchFromServerTests : IClassFixture<FetchFromServerTests.ShopBackend>
{
    private readonly SampleCheckout _sample;
    private readonly ServedBackend _backend;

    public FetchFromServerTests(SampleCheckout sample, ShopBackend backend)
    {
        _sample = sample;
        _backend = backend.Served;
    }

    [Fact]
    public void The_only_app_is_fetched_and_reconciled_as_a_heatmap_file_is()
    {
        var result = Cli.Run(_sample.Root, _backend.Environment, "fetch");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(FetchCommandTests.ColdText, WithoutSeen(result.Out));
        // Every local cold src the server tracks says since when; the ones only the local build has do not.
        Assert.Contains("  0  Shop.Cart.Total  src/Shop/Cart.cs:17  never called in 0 days\n", result.Out, StringComparison.Ordinal);
        Assert.Equal("9 cold of 14 srcs (64%); 2 heatmap keys not found locally", result.ErrorLines[^1]);
    }

    [Fact]
    public void All_and_json_match_the_file_output()
    {
        var all = Cli.Run(_sample.Root, _backend.Environment, "fetch", "--all", "--app", "Shop");
        var json = Cli.Run(_sample.Root, _backend.Environment, "fetch", "--format", "json");

        Assert.Equal(ExitCodes.Success, all.ExitCode);
        Assert.Equal(FetchCommandTests.AllText, WithoutSeen(all.Out));
        Assert.Matches(@"  Shop\.Orders\.OrderService\.get_Open  src/Shop/Orders\.cs:30  last seen \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\n", all.Out);
        Assert.Equal(ExitCodes.Success, json.ExitCode);
        Assert.Equal(FetchCommandTests.ColdJson, Regex.Replace(json.Out, @",""first_seen"":[^,]*,""last_seen"":[^,]*,""tracked_since"":(null|""[^""]*"")", ""));
        var cart = JsonDocument.Parse(json.Out).RootElement.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("key").GetString() == "Shop.Cart.Total");
        Assert.Equal(JsonValueKind.Null, cart.GetProperty("last_seen").ValueKind);
        Assert.InRange(cart.GetProperty("tracked_since").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public void Grpc_host_overrides_the_environment()
    {
        var environment = new Dictionary<string, string>(_backend.Environment) { ["COLDMOD_GRPC_HOST"] = "127.0.0.1:1" };

        var result = Cli.Run(_sample.Root, environment, "fetch", "--grpc-host", _backend.GrpcHost);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(FetchCommandTests.ColdText, WithoutSeen(result.Out));
    }

    [Fact]
    public void A_host_list_passes_the_call_to_the_next_host_when_one_cannot_be_reached()
    {
        var down = $"127.0.0.1:{LoopbackPort.Free()}";
        var environment = new Dictionary<string, string>(_backend.Environment) { ["COLDMOD_GRPC_HOST"] = $"{down},{_backend.GrpcHost}" };

        var fetched = Cli.Run(_sample.Root, environment, "fetch");
        var none = Cli.Run(_sample.Root, _backend.Environment, "status", "--grpc-host", $"{down},127.0.0.1:{LoopbackPort.Free()}");
        var bad = Cli.Run(_sample.Root, _backend.Environment, "status", "--grpc-host", $"{_backend.GrpcHost},nowhere:port");

        Assert.Equal(ExitCodes.Success, fetched.ExitCode);
        Assert.Equal(FetchCommandTests.ColdText, WithoutSeen(fetched.Out));
        Assert.Equal(ExitCodes.Failure, none.ExitCode);
        Assert.StartsWith($"coldmod: error: Cannot reach any Coldmod server of {down}, 127.0.0.1:", none.ErrorLines[^1], StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Contains("'nowhere:port' must look like HOST:PORT", bad.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_prints_the_servers_counters_as_text_or_json()
    {
        var text = Cli.Run(_sample.Root, _backend.Environment, "status");
        var json = Cli.Run(_sample.Root, _backend.Environment, "status", "--app", "Shop", "--format", "json");
        var unknown = Cli.Run(_sample.Root, _backend.Environment, "status", "--app", "Nope");

        Assert.Equal(ExitCodes.Success, text.ExitCode);
        Assert.Contains("apps        Shop\n", text.Out, StringComparison.Ordinal);
        Assert.Matches(@"cold        \d+ \(\d+%\)\n", text.Out);
        var counters = JsonDocument.Parse(json.Out).RootElement;
        Assert.Equal(["Shop"], counters.GetProperty("apps").EnumerateArray().Select(a => a.GetString()));
        Assert.True(counters.GetProperty("cold").GetInt64() is > 0 and var cold && cold < counters.GetProperty("srcs").GetInt64());
        Assert.True(counters.GetProperty("hits").GetInt64() > 0);
        Assert.Equal(0, counters.GetProperty("connected_clis").GetInt64());
        Assert.Equal(ExitCodes.Failure, unknown.ExitCode);
    }

    [Fact]
    public void An_unknown_app_is_one_line_naming_it()
    {
        var result = Cli.Run(_sample.Root, _backend.Environment, "fetch", "--app", "Nope");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"coldmod: error: The server at {_backend.GrpcHost} has no app 'Nope' (", line, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unreachable_server_is_one_line_naming_the_address_and_serve()
    {
        var address = $"127.0.0.1:{LoopbackPort.Free()}";

        var result = Cli.Run(_sample.Root, _backend.Environment, "fetch", "--grpc-host", address);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"coldmod: error: Cannot reach the Coldmod server at {address} (", line, StringComparison.Ordinal);
        Assert.Contains("Start one with 'coldmod serve'", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fetch", "--grpc-host", "http://127.0.0.1:7777")]
    [InlineData("fetch", "--grpc-host", "127.0.0.1:7777/x")]
    [InlineData("fetch", "--app", " ")]
    [InlineData("fetch", "--from", "h.json", "--app", "Shop")]
    public void Bad_server_options_are_usage_errors(params string[] args)
    {
        var result = Cli.Run(_sample.Root, _backend.Environment, args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("Run 'coldmod fetch --help' for its options.", result.ErrorLines[^1]);
    }

    public sealed class ShopBackend : IDisposable
    {
        public ShopBackend() => Seed(Served);

        public ServedBackend Served { get; } = new();

        // The heatmap FetchCommandTests expects, as a woven Shop would have reported it.
        public static void Seed(ServedBackend served)
        {
            served.Set(
                "Shop",
                ("Shop.Cart.#ctor", "src/Shop/Cart.cs", 8),
                ("Shop.Cart.Add(System.Decimal)", "src/Shop/Cart.cs", 12),
                ("Shop.Cart.Total", "src/Shop/Cart.cs", 17),
                ("Shop.Generated.X.Value", "src/Shop/Generated/X.Designer.cs", 5),
                ("Shop.Legacy.Gone", "src/Shop/Legacy.cs", 4),
                ("Shop.Old.Gone", "src/Shop/Old.cs", 3),
                ("Shop.Orders.OrderService.#ctor(System.Int32)", "src/Shop/OrderService.cs", 9),
                ("Shop.Orders.OrderService.Cancel(System.Int32)", "src/Shop/OrderService.cs", 12),
                ("Shop.Orders.OrderService.get_Open", "src/Shop/OrderService.cs", 26));
            served.Collect(
                "Shop",
                ("Shop.Cart.#ctor", 4),
                ("Shop.Cart.Add(System.Decimal)", 9),
                ("Shop.Old.Gone", 5),
                ("Shop.Orders.OrderService.#ctor(System.Int32)", 4),
                ("Shop.Orders.OrderService.Cancel(System.Int32)", 3),
                ("Shop.Orders.OrderService.get_Open", 1));
        }

        public void Dispose() => Served.Dispose();
    }

    // The server's times at the end of a line ("last seen …", "never called in N days"), which a heatmap file lacks.
    internal static string WithoutSeen(string output) =>
        Regex.Replace(output, @"  (last seen \S+|never called in \d+ days?)$", "", RegexOptions.Multiline);
}
