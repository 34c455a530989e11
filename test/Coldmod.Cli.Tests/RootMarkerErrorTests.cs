using Coldmod.TestSupport;
using Coldmod.Weaver;

namespace Coldmod.Cli.Tests;

public sealed class RootMarkerErrorTests : IDisposable
{
    private readonly TempDirectory _directory = new("coldmod-cli-marker");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("files")]
    [InlineData("srcs")]
    public void Without_a_rootmarker_above_the_working_directory_the_error_says_how_to_make_one(string verb)
    {
        var start = Path.GetDirectoryName(_directory.Write("src/App/Program.cs", "class P {}"))!;
        Assert.False(HasMarkerAbove(start), $"The test needs a temp directory with no {RootMarker.FileName} above it.");

        var result = Cli.Run(start, verb);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"coldmod: error CM0001: No coldmod.rootmarker found in {start} or any directory above it. Create an empty coldmod.rootmarker", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("files")]
    [InlineData("srcs")]
    public void A_malformed_rootmarker_is_reported_at_its_line_and_column(string verb)
    {
        var marker = _directory.Write(RootMarker.FileName, "[ignore]\nkeys = [1]\n");

        var result = Cli.Run(_directory.Path, verb);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"{marker}(2,9): error CM0002: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_rootmarker_entry_is_reported_at_its_line_and_column()
    {
        var marker = _directory.Write(RootMarker.FileName, "[ignore]\nfiles = []\nfilez = [\"**/Old/**\"]\n");

        var result = Cli.Run(_directory.Path, "files");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"{marker}(3,1): error CM0003: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public void A_root_with_only_dependencies_in_its_build_output_has_no_build_of_its_own()
    {
        _directory.Write(RootMarker.FileName, "");
        _directory.Write("src/App/Program.cs", "public static class P { public static void Main() { } }");
        using var vendor = new TempDirectory("coldmod-cli-vendor");
        var source = vendor.Write("Lib.cs", "public static class Lib { public static int F() => 1; }");
        TestCompilation.Compile("Lib", [new SourceInput(source)], _directory.Combine("src", "App", "bin", "Release", "net10.0"), optimize: true);

        var result = Cli.Run(_directory.Path, "srcs");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal(
            $"coldmod: error CM0007: No Release build of the sources under {_directory.Path} found: of 1 file matching bin/Release/**/*.dll, none has a portable PDB whose documents are under the root (-v tells why each was skipped); build one with: dotnet build -c Release\n",
            result.Error);
    }

    private static bool HasMarkerAbove(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, RootMarker.FileName)))
            {
                return true;
            }
        }

        return false;
    }
}
