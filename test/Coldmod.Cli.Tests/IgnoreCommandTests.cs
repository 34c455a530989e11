using Coldmod.TestSupport;
using Coldmod.Weaver;

namespace Coldmod.Cli.Tests;

public sealed class IgnoreCommandTests : IDisposable
{
    private const string Marker = """
        # Generated code is not worth tracing.
        [ignore]
        files = ["**/*.Designer.cs"]   # globs
        keys = [
            "Tiny.Calc.Old", # kept for the importer
        ]

        """;

    private readonly TempDirectory _checkout = new("coldmod-ignore");

    public void Dispose() => _checkout.Dispose();

    [Fact]
    public void Keys_are_appended_in_the_array_style_and_printed()
    {
        _checkout.Write(RootMarker.FileName, Marker);

        var result = Cli.Run(_checkout.Combine("src"), "ignore", "Tiny.Calc.Add(System.Int32)", "Tiny.Calc.Old");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal("Tiny.Calc.Add(System.Int32)\n", result.Out);
        Assert.Equal(
            [
                "coldmod: Tiny.Calc.Old is already in ignore.keys",
                $"1 key added to ignore.keys in {_checkout.Combine(RootMarker.FileName)}",
            ],
            result.ErrorLines);
        Assert.Equal(
            Marker.Replace("# kept for the importer\n", "# kept for the importer\n    \"Tiny.Calc.Add(System.Int32)\",\n", StringComparison.Ordinal),
            File.ReadAllText(_checkout.Combine(RootMarker.FileName)));
    }

    [Fact]
    public void A_key_no_local_build_has_is_added_with_a_warning()
    {
        _checkout.Write(RootMarker.FileName, "");
        var source = _checkout.Write("src/Calc.cs", "namespace Tiny;\n\npublic static class Calc\n{\n    public static int Add(int x) => x + 1;\n}\n");
        TestCompilation.Compile("Tiny", [new SourceInput(source)], _checkout.Combine("src", "bin", "Release", "net10.0"), optimize: true);

        var result = Cli.Run(_checkout.Path, "ignore", "Tiny.Calc.Add(System.Int32)", "Tiny.Calc.Ad");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal("Tiny.Calc.Add(System.Int32)\nTiny.Calc.Ad\n", result.Out);
        Assert.Equal(
            [
                "coldmod: warning: Tiny.Calc.Ad is not a src of the local builds (spelled as 'coldmod srcs' lists it?); added anyway.",
                $"2 keys added to ignore.keys in {_checkout.Combine(RootMarker.FileName)}",
            ],
            result.ErrorLines);
        Assert.Equal("[ignore]\nkeys = [\"Tiny.Calc.Add(System.Int32)\", \"Tiny.Calc.Ad\"]\n", File.ReadAllText(_checkout.Combine(RootMarker.FileName)));
    }

    [Fact]
    public void A_malformed_marker_is_reported_and_left_alone()
    {
        const string broken = "[ignore]\nkeys = \"A\"\n";
        _checkout.Write(RootMarker.FileName, broken);

        var result = Cli.Run(_checkout.Path, "ignore", "A.B");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.StartsWith($"{_checkout.Combine(RootMarker.FileName)}(2,1): error ", Assert.Single(result.ErrorLines), StringComparison.Ordinal);
        Assert.Equal(broken, File.ReadAllText(_checkout.Combine(RootMarker.FileName)));
    }

    [Theory]
    [InlineData("ignore")]
    [InlineData("ignore", " ")]
    public void Missing_or_blank_keys_are_usage_errors(params string[] args)
    {
        _checkout.Write(RootMarker.FileName, "");

        var result = Cli.Run(_checkout.Path, args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("", File.ReadAllText(_checkout.Combine(RootMarker.FileName)));
    }
}
