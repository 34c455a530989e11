using Coldmod.TestSupport;
using Coldmod.Weaver;

namespace Coldmod.Cli.Tests;

public sealed class InitCommandTests : IDisposable
{
    private readonly TempDirectory _checkout = new("coldmod-init");

    [Fact]
    public void Writes_a_rootmarker_that_ignores_migrations_designer_files_generated_sources_and_obj()
    {
        var result = Cli.Run(_checkout.Path, "init");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        var path = _checkout.Combine(RootMarker.FileName);
        Assert.Equal($"wrote {path}\n", result.Out);
        var text = File.ReadAllText(path);
        Assert.Contains("# EF Core migrations", text, StringComparison.Ordinal);

        var root = RootMarker.Load(path);
        Assert.True(root.IsIgnoredFile("Data/Migrations/20240101_Initial.cs"));
        Assert.True(root.IsIgnoredFile("Data/Migrations/TodoDbContextModelSnapshot.cs"));
        Assert.True(root.IsIgnoredFile("Properties/Resources.Designer.cs"));
        Assert.True(root.IsIgnoredFile("Protos/Greet.g.cs"));
        Assert.True(root.IsIgnoredFile("obj/Release/net10.0/App.AssemblyInfo.cs"));
        Assert.False(root.IsIgnoredFile("Todos/TodoApi.cs"));
        Assert.False(root.IsIgnoredFile("Program.cs"));
        Assert.Empty(root.IgnoredKeySet);
    }

    [Fact]
    public void Refuses_to_overwrite_an_existing_rootmarker()
    {
        var path = _checkout.Write(RootMarker.FileName, "# mine\n[ignore]\nkeys = [\"A.B\"]\n");

        var result = Cli.Run(_checkout.Path, "init");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains($"{path} already exists", result.Error, StringComparison.Ordinal);
        Assert.Contains("does not overwrite", result.Error, StringComparison.Ordinal);
        Assert.Equal("# mine\n[ignore]\nkeys = [\"A.B\"]\n", File.ReadAllText(path));
    }

    [Fact]
    public void The_written_rootmarker_lets_the_other_verbs_run()
    {
        _checkout.Write("Todos/TodoApi.cs", "namespace Todos; public static class TodoApi { }\n");
        _checkout.Write("Migrations/Initial.cs", "namespace Todos; public static class Initial { }\n");
        Assert.Equal(ExitCodes.Success, Cli.Run(_checkout.Path, "init").ExitCode);

        var files = Cli.Run(_checkout.Path, "files");

        Assert.Equal(ExitCodes.Success, files.ExitCode);
        Assert.Equal("Todos/TodoApi.cs\n", files.Out);
    }

    public void Dispose() => _checkout.Dispose();
}
