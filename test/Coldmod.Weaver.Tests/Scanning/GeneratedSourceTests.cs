using Coldmod.TestSupport;

namespace Coldmod.Weaver.Tests.Scanning;

/// <summary>Source generators write their output under obj/: it is build output, not the user's source, so it is not traced.</summary>
public sealed class GeneratedSourceTests
{
    [Fact]
    public void Methods_whose_source_is_under_obj_or_bin_or_a_hidden_directory_are_not_srcs()
    {
        using var temp = new TempDirectory();
        temp.Write("coldmod.rootmarker", "");
        var sources = new[]
        {
            temp.Write("src/App.cs", "namespace App; public static class Mine { public static int Run() => 1; }"),
            temp.Write("src/obj/Release/net10.0/Gen/Regex.g.cs", "namespace App; public static class FromGenerator { public static int Match() => 2; }"),
            temp.Write("src/bin/Stray.cs", "namespace App; public static class Stray { public static int Copy() => 3; }"),
            temp.Write(".tools/Tool.cs", "namespace App; public static class Tooling { public static int Do() => 4; }"),
        };
        var assembly = TestCompilation.Compile("App", sources.Select(s => new SourceInput(s)), temp.Combine("out"), optimize: true);
        var root = RootMarker.Load(temp.Combine(RootMarker.FileName));

        var scan = SrcScanner.Scan(assembly.AssemblyPath, root);

        Assert.Equal(["App.Mine.Run"], scan.Srcs.Select(s => s.Key));
        Assert.True(root.IsTracedFile("src/App.cs"));
        Assert.False(root.IsTracedFile("src/obj/Release/net10.0/Gen/Regex.g.cs"));
    }
}
