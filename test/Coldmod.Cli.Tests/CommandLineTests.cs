using System.Text.RegularExpressions;
using Coldmod.TestSupport;

namespace Coldmod.Cli.Tests;

// Parsing and help need no rootmarker, so these run in an empty directory.
public sealed partial class CommandLineTests : IDisposable
{
    private readonly TempDirectory _directory = new("coldmod-cli-args");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("--help")]
    [InlineData("help")]
    public void Help_lists_the_verbs_on_stdout(string help)
    {
        var result = Cli.Run(_directory.Path, help);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains("Usage: coldmod <verb> [options]", result.Out, StringComparison.Ordinal);
        Assert.Matches(VerbLine("files"), result.Out);
        Assert.Matches(VerbLine("srcs"), result.Out);
        Assert.Matches(VerbLine("fetch"), result.Out);
        Assert.Contains("Exit codes: 0 done; 1 ", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("srcs", "--help")]
    [InlineData("help", "srcs")]
    public void Verb_help_documents_the_options_and_the_output_format(params string[] args)
    {
        var result = Cli.Run(_directory.Path, args);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains("Usage: coldmod srcs [-c NAME | -a PATH...] [--source-root MAPPED=LOCAL...] [-v]", result.Out, StringComparison.Ordinal);
        Assert.Contains("-c NAME, --configuration=NAME", result.Out, StringComparison.Ordinal);
        Assert.Contains("-a PATH, --assembly=PATH", result.Out, StringComparison.Ordinal);
        Assert.Contains("--source-root=MAPPED=LOCAL", result.Out, StringComparison.Ordinal);
        Assert.Contains("-v, --verbose", result.Out, StringComparison.Ordinal);
        Assert.Contains("\nsrc/Shop/Orders.cs\n  Shop.Orders.OrderService.#ctor  src/Shop/Orders.cs:12\n", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("fetch", "--help")]
    [InlineData("help", "fetch")]
    public void Fetch_help_documents_the_options_the_reconciling_and_both_output_formats(params string[] args)
    {
        var result = Cli.Run(_directory.Path, args);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal("", result.Error);
        Assert.Contains(
            "Usage: coldmod fetch [--grpc-host HOST:PORT] [--app NAME] [--all] [--format text|json]\n       coldmod fetch --from FILE [--all] [--format text|json]\n",
            result.Out,
            StringComparison.Ordinal);
        Assert.Contains("--from=FILE", result.Out, StringComparison.Ordinal);
        Assert.Contains("--grpc-host=HOST:PORT", result.Out, StringComparison.Ordinal);
        Assert.Contains("--app=NAME", result.Out, StringComparison.Ordinal);
        Assert.Contains("--all", result.Out, StringComparison.Ordinal);
        Assert.Contains("--format=text|json", result.Out, StringComparison.Ordinal);
        Assert.Contains("-c NAME, --configuration=NAME", result.Out, StringComparison.Ordinal);
        Assert.Contains("-a PATH, --assembly=PATH", result.Out, StringComparison.Ordinal);
        Assert.Contains("--source-root=MAPPED=LOCAL", result.Out, StringComparison.Ordinal);
        Assert.Contains("COLDMOD_HEATMAP_FILE=FILE", result.Out, StringComparison.Ordinal);
        Assert.Contains(
            "\nsrc/Shop/Orders.cs\n  3  Shop.Orders.OrderService.Cancel(System.Int32)  src/Shop/Orders.cs:42\n  0  Shop.Orders.OrderService.Refund(System.Int32)  src/Shop/Orders.cs:57\n(not found locally)\n  5  Shop.Old.Gone  src/Shop/Old.cs:3\n",
            result.Out,
            StringComparison.Ordinal);
        Assert.Contains("\n{\"entries\":[{\"key\":\"Shop.Cart.Add(System.Decimal)\",\"count\":0,\"estimated\":0,\"estimate_error\":0,\n  \"file\":\"src/Shop/Cart.cs\",\"line\":12}],\"older_versions\":[]}   (one line)\n", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_help_says_what_is_left_out()
    {
        var result = Cli.Run(_directory.Path, "files", "--help");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Contains("Usage: coldmod files", result.Out, StringComparison.Ordinal);
        Assert.Contains("[ignore] files glob", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_prints_the_tool_version()
    {
        var result = Cli.Run(_directory.Path, "--version");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Matches(@"^coldmod \d+\.\d+\.\d+\S*\n$", result.Out);
    }

    [Fact]
    public void An_unknown_verb_is_a_usage_error()
    {
        var result = Cli.Run(_directory.Path, "frobnicate");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal(["coldmod: error: Verb 'frobnicate' is not recognized.", "Run 'coldmod --help' for the verbs."], result.ErrorLines);
    }

    [Fact]
    public void An_unknown_option_is_a_usage_error_that_points_at_the_verb_help()
    {
        var result = Cli.Run(_directory.Path, "files", "--bogus");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(["coldmod: error: Option 'bogus' is unknown.", "Run 'coldmod files --help' for its options."], result.ErrorLines);
    }

    [Fact]
    public void No_verb_is_a_usage_error_that_shows_the_verbs_on_stderr()
    {
        var result = Cli.Run(_directory.Path);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal("coldmod: error: no verb given.", result.ErrorLines[0]);
        Assert.Matches(VerbLine("srcs"), result.Error);
    }

    private static Regex VerbLine(string verb) => new($@"\n  {verb} +\S", RegexOptions.None);
}
