using Coldmod.TestSupport;

namespace Coldmod.Weaver.Tests.Scanning;

public sealed class SourceFilesTests : IDisposable
{
    private readonly TempDirectory _temp = new("coldmod-files");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Enumerate_lists_sources_sorted_with_slashes_leaving_out_build_output_hidden_folders_and_ignored_files()
    {
        var root = RootMarker.Load(_temp.Write("coldmod.rootmarker", """
            [ignore]
            files = ["**/Migrations/**", "**/*.Designer.cs"]
            """));
        foreach (var path in new[]
        {
            "src/Shop/Orders/OrderService.cs",
            "src/Shop/Orders/Order.cs",
            "src/Shop/Ui/MainForm.cs",
            "src/Shop/Ui/MainForm.Designer.cs",
            "src/Shop/Migrations/Initial.cs",
            "src/Shop/Migrations/Snapshots/Model.cs",
            "src/Shop/bin/Debug/net10.0/Generated.cs",
            "src/Shop/obj/Debug/net10.0/Shop.AssemblyInfo.cs",
            "src/Shop/.vs/Cache.cs",
            ".git/hooks/Hook.cs",
            "node_modules/tool/Tool.cs",
            "src/Shop/README.md",
            "src/Shop/Orders/Order.cs.bak",
            "Zeta.cs",
            "alpha.cs",
            "src/Shop/Binder.cs",
            "src/Shop/objects/Entity.cs",
        })
        {
            _temp.Write(path, "// corpus");
        }

        var files = SourceFiles.Enumerate(root);

        // Ordinal order: upper case before lower case, and "Order.cs" before "OrderService.cs".
        Assert.Equal(
            [
                "Zeta.cs",
                "alpha.cs",
                "src/Shop/Binder.cs",
                "src/Shop/Orders/Order.cs",
                "src/Shop/Orders/OrderService.cs",
                "src/Shop/Ui/MainForm.cs",
                "src/Shop/objects/Entity.cs",
            ],
            files);
    }

    [Fact]
    public void Enumerate_of_a_root_without_sources_is_empty()
    {
        var root = RootMarker.Load(_temp.Write("coldmod.rootmarker", ""));
        _temp.Write("docs/index.md", "# Shop");

        Assert.Empty(SourceFiles.Enumerate(root));
    }
}
