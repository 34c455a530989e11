using System.Text;
using Coldmod.Cli.Commands;
using Coldmod.TestSupport;

namespace Coldmod.Cli.Tests.Removal;

public sealed class RemoveCommandTests(RemovalCorpus corpus) : IClassFixture<RemovalCorpus>
{
    private const string OrderService = "src/Orders/OrderService.cs";
    private const string Callers = "src/Orders/Callers.cs";

    private static readonly string[] s_build = ["--source-root", RemovalCorpus.SourceRoot + "=."];

    [Fact]
    public void A_method_goes_with_its_doc_comment_and_attributes_and_its_callers_in_other_files_are_marked_once_per_statement()
    {
        using var checkout = corpus.NewCheckout();

        var result = Rm(checkout, "Shop.Orders.OrderService.Cancel(System.String)");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(
            """
            removed Shop.Orders.OrderService.Cancel(System.String)  src/Orders/OrderService.cs:38 (8 lines)
            marked 2 references in src/Orders/Callers.cs
            removed 1 member (8 lines) from 1 file; marked 2 references in 1 file
            next: build (dotnet build -c Release), fix each '// TODO: ... was removed by coldmod.' the errors point at, then run the tests.

            """,
            result.Out);
        var service = Read(checkout, OrderService);
        Assert.Contains("public void Cancel(int id)", service, StringComparison.Ordinal);
        Assert.DoesNotContain("Cancels every order", service, StringComparison.Ordinal);
        ApprovedFile.Verify("Cancel.OrderService.cs", service);
        ApprovedFile.Verify("Cancel.Callers.cs", Read(checkout, Callers));
    }

    [Fact]
    public void Every_member_kind_is_removed_and_every_kind_of_use_is_marked()
    {
        using var checkout = corpus.NewCheckout();

        var result = Rm(
            checkout,
            "Shop.Orders.OrderService.#ctor(System.String)",
            "Shop.Orders.OrderService.Discount(System.Int32)",
            "Shop.Orders.OrderService.Pick``1(System.Collections.Generic.IReadOnlyList{``0},System.Func{``0,System.Boolean})",
            "Shop.Orders.OrderService.ArchiveAsync",
            "Shop.Orders.OrderService.Ids",
            "Shop.Orders.OrderService.Summarize",
            "Shop.Orders.OrderService.Weight(Shop.Orders.Order)",
            "Shop.Orders.Order.Shrink(System.Int32)",
            "Shop.Pricing.Money.op_Subtraction(Shop.Pricing.Money,Shop.Pricing.Money)",
            "Shop.Pricing.Money.op_Explicit(Shop.Pricing.Money)~System.Decimal",
            "Shop.Pricing.Money.op_Implicit(System.Int32)~Shop.Pricing.Money",
            "Shop.Pricing.Ledger.#cctor",
            "Shop.Pricing.Ledger.Finalize",
            "Shop.Pricing.Ledger.get_Total",
            "Shop.Pricing.Ledger.get_Item(System.Int32)",
            "Shop.Pricing.Ledger.set_Item(System.Int32,System.Decimal)",
            "Shop.Pricing.Ledger.get_Count",
            "Shop.Pricing.Ledger.add_Changed(System.EventHandler)",
            "Shop.Pricing.Ledger.remove_Changed(System.EventHandler)",
            "Shop.Legacy.Unused.Import(System.String)",
            "Shop.Legacy.Unused.Modern",
            "Shop.Legacy.Unused.Fast",
            "Shop.Legacy.Unused.Tidy(System.Int32)");

        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        foreach (var file in new[] { OrderService, Callers, "src/Orders/Order.Changes.cs", "src/Pricing/Money.cs", "src/Pricing/Ledger.cs", "src/Legacy/Unused.cs" })
        {
            ApprovedFile.Verify("Kinds." + Path.GetFileName(file), Read(checkout, file));
        }

        Assert.Equal(Snapshot(corpus.NewCheckoutPath("src/Orders/Order.cs")), File.ReadAllBytes(checkout.Combine("src", "Orders", "Order.cs")));
    }

    [Fact]
    public void An_override_is_refused_and_removed_with_force()
    {
        using var checkout = corpus.NewCheckout();
        var before = Snapshot(checkout);

        var refused = Rm(checkout, "Shop.Pricing.Seasonal.Label");

        Assert.Equal(ExitCodes.Failure, refused.ExitCode);
        Assert.Contains("Shop.Pricing.Seasonal.Label: refused: it overrides a base class method", refused.Error, StringComparison.Ordinal);
        Assert.Contains("add --force", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(checkout));

        var forced = Rm(checkout, "Shop.Pricing.Seasonal.Label", "--force");

        Assert.Equal(ExitCodes.Success, forced.ExitCode);
        Assert.DoesNotContain("\"seasonal\"", Read(checkout, "src/Pricing/Discounts.cs"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Shop.Pricing.Seasonal.Apply(System.Decimal)", "it implements an interface member")]
    [InlineData("Shop.Pricing.Seasonal.Shop#Pricing#IDiscount#Describe", "it implements an interface member")]
    [InlineData("Shop.Pricing.DiscountBase.Label", "it is virtual")]
    [InlineData("Shop.Pricing.DiscountChecks.Cases", "an attribute in Shop.dll names it by string ('Cases')")]
    public void Members_that_take_part_in_dispatch_or_are_named_by_string_are_refused_unless_forced(string key, string reason)
    {
        using var checkout = corpus.NewCheckout();
        var before = Snapshot(checkout);

        var refused = Rm(checkout, key);

        Assert.Equal(ExitCodes.Failure, refused.ExitCode);
        Assert.Contains($"{key}: refused: {reason}", refused.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(checkout));
        Assert.Equal(ExitCodes.Success, Rm(checkout, key, "--force").ExitCode);
        Assert.NotEqual(before, Snapshot(checkout));
    }

    [Fact]
    public void A_file_changed_since_the_build_is_refused_and_no_file_is_touched()
    {
        using var checkout = corpus.NewCheckout();
        File.AppendAllText(checkout.Combine("src", "Orders", "Callers.cs"), "\n");
        var before = Snapshot(checkout);

        var result = Rm(checkout, "Shop.Orders.OrderService.Cancel(System.String)");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("coldmod: error: src/Orders/Callers.cs: changed since the build", result.Error, StringComparison.Ordinal);
        Assert.EndsWith("coldmod: refused; no file was changed.\n", result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Out);
        Assert.Equal(before, Snapshot(checkout));
    }

    [Fact]
    public void A_crlf_file_with_a_byte_order_mark_keeps_every_byte_outside_the_edit()
    {
        using var checkout = corpus.NewCheckout();
        var path = checkout.Combine("src", "Text", "Crlf.cs");
        var original = File.ReadAllBytes(path);

        var result = Rm(checkout, "Shop.Text.Crlf.Lower(System.String)");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var text = Encoding.UTF8.GetString(original);
        var removed = "    /// <summary>Lower case.</summary>\r\n    public static string Lower(string value)\r\n    {\r\n        return value.ToLowerInvariant();\r\n    }\r\n\r\n";
        var marked = "    // TODO: Shop.Text.Crlf.Lower(System.String) was removed by coldmod.\r\n";
        var expected = text
            .Replace(removed, "", StringComparison.Ordinal)
            .Replace("    public static string Both", marked + "    public static string Both", StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetBytes(expected), File.ReadAllBytes(path));
        Assert.Equal([0xEF, 0xBB, 0xBF], File.ReadAllBytes(path)[..3]);
    }

    [Fact]
    public void A_failed_write_leaves_every_file_unchanged()
    {
        using var checkout = corpus.NewCheckout();
        var before = Snapshot(checkout);
        var writes = 0;
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();

        // Both files are written to temporaries, the first replaces its original, and replacing the second fails.
        var context = new CommandContext(stdout, stderr, checkout.Path)
        {
            WritingFile = path => _ = ++writes == 4 ? throw new IOException("disk full") : 0,
        };
        var exitCode = Program.Run(["rm", "Shop.Orders.OrderService.Cancel(System.String)", .. s_build], context);

        Assert.Equal(ExitCodes.Failure, exitCode);
        Assert.Equal(4, writes);
        Assert.Contains("disk full No file was changed.", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(checkout));
    }

    [Fact]
    public void A_member_straddling_an_if_is_refused()
    {
        using var checkout = corpus.NewCheckout();
        var before = Snapshot(checkout);

        var result = Rm(checkout, "Shop.Legacy.Unused.Export", "Shop.Legacy.Unused.Kept");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("Shop.Legacy.Unused.Export: refused at src/Legacy/Unused.cs:", result.Error, StringComparison.Ordinal);
        Assert.Contains("it straddles", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(checkout));
    }

    [Fact]
    public void An_unknown_key_is_refused_and_no_file_is_touched()
    {
        using var checkout = corpus.NewCheckout();
        var before = Snapshot(checkout);

        var result = Rm(checkout, "Shop.Legacy.Unused.Kept", "Shop.Legacy.Unused.Gone");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("coldmod: error: Shop.Legacy.Unused.Gone: not a src of the local builds", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(checkout));
    }

    [Fact]
    public void A_lambda_or_local_function_key_is_refused_with_what_to_do_instead()
    {
        using var checkout = corpus.NewCheckout();

        var result = Rm(checkout, "Shop.Orders.OrderService.Summarize=>Local");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Contains(
            "'Shop.Orders.OrderService.Summarize=>Local' is a lambda or local function: those cannot be removed on their own, only with the method that holds them",
            result.Error,
            StringComparison.Ordinal);
        Assert.Contains("coldmod ignore 'Shop.Orders.OrderService.Summarize=>Local'", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dry_run_prints_a_unified_diff_and_changes_nothing()
    {
        using var checkout = corpus.NewCheckout();
        var before = Snapshot(checkout);

        var result = Rm(checkout, "Shop.Orders.Order.Shrink(System.Int32)", "--dry-run");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(
            """
            --- a/src/Orders/Order.Changes.cs
            +++ b/src/Orders/Order.Changes.cs
            @@ -6,9 +6,4 @@
                 {
                     Quantity += by;
                 }
            -
            -    public void Shrink(int by)
            -    {
            -        Quantity -= by;
            -    }
             }

            """,
            result.Out);
        Assert.Contains("would remove 1 member (5 lines) from 1 file; would mark 0 references in 0 files (dry run: no file was changed)", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, Snapshot(checkout));
    }

    [Fact]
    public void After_removing_methods_nobody_calls_the_corpus_still_compiles_with_no_new_warnings()
    {
        using var checkout = corpus.NewCheckout();

        var result = Rm(
            checkout,
            "Shop.Legacy.Unused.Kept",
            "Shop.Legacy.Unused.Modern",
            "Shop.Orders.Order.Shrink(System.Int32)",
            "Shop.Orders.OrderService.Ids",
            "Shop.Pricing.Ledger.Finalize",
            "Shop.Pricing.Money.op_Addition(Shop.Pricing.Money,Shop.Pricing.Money)");

        Assert.True(result.ExitCode == ExitCodes.Success, result.Error);
        Assert.Contains("marked 0 references in 0 files", result.Out, StringComparison.Ordinal);
        Assert.Equal(corpus.Warnings, RemovalCorpus.Compile(checkout.Path));
    }

    [Fact]
    public void Help_explains_the_verb()
    {
        var result = Cli.Run(Path.GetTempPath(), "rm", "--help");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("Usage: coldmod rm KEY... [--dry-run] [--force]", result.Out, StringComparison.Ordinal);
        Assert.Contains("// TODO: KEY was removed by coldmod.", result.Out, StringComparison.Ordinal);
        Assert.Contains("--dry-run", result.Out, StringComparison.Ordinal);
    }

    private static CliResult Rm(TempDirectory checkout, params string[] arguments) =>
        Cli.Run(checkout.Path, ["rm", .. arguments, .. s_build]);

    private static string Read(TempDirectory checkout, string relativePath) => File.ReadAllText(checkout.Combine(relativePath.Split('/')));

    private static byte[] Snapshot(string path) => File.ReadAllBytes(path);

    // Every file of the checkout but the build output and the srcs cache, with its bytes.
    private static string Snapshot(TempDirectory checkout) => string.Join(
        "\n",
        Directory.EnumerateFiles(checkout.Path, "*", SearchOption.AllDirectories)
            .Where(p => !p.Contains("/bin/", StringComparison.Ordinal) && !p.Contains("/.coldmod-cache/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(p => $"{Path.GetRelativePath(checkout.Path, p)} {Convert.ToHexString(File.ReadAllBytes(p))}"));
}
