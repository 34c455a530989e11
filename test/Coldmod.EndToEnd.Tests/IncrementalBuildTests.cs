using Coldmod.EndToEnd.Tests.Infrastructure;

namespace Coldmod.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class IncrementalBuildTests(PackagedColdmod coldmod)
{
    [Fact]
    public async Task An_unchanged_build_does_not_weave_again_and_editing_the_rootmarker_does()
    {
        var shop = coldmod.CreateShop("incremental");
        var first = (await shop.BuildAsync()).EnsureSuccess();
        Assert.Contains(ShopExpectations.WoveMessage(ShopExpectations.SrcCount), first.Output, StringComparison.Ordinal);
        var woven = File.ReadAllBytes(shop.IntermediateAssembly);
        var wovenAt = File.GetLastWriteTimeUtc(shop.IntermediateAssembly);

        var second = (await shop.BuildAsync()).EnsureSuccess();

        Assert.DoesNotContain("Coldmod:", second.Output, StringComparison.Ordinal);
        Assert.Equal(wovenAt, File.GetLastWriteTimeUtc(shop.IntermediateAssembly));
        Assert.Equal(woven, File.ReadAllBytes(shop.IntermediateAssembly));
        Assert.Equal(woven, File.ReadAllBytes(shop.OutputAssembly));
        Assert.Equal(1, AssemblyInspector.CountProbeTypes(shop.OutputAssembly));

        File.WriteAllText(shop.RootMarker, """
            [ignore]
            files = ["Generated/**", "StartTracing.cs"]
            keys = ["Shop.Export.CsvExporter.Escape(System.String)"]
            """);
        var third = (await shop.BuildAsync()).EnsureSuccess();

        Assert.Contains(ShopExpectations.WoveMessage(ShopExpectations.SrcCount - 1), third.Output, StringComparison.Ordinal);
        Assert.Equal(1, AssemblyInspector.CountProbeTypes(shop.OutputAssembly));
    }

    [Fact]
    public async Task A_dotnet_watch_build_is_left_unwoven_and_says_so_and_the_next_build_weaves_again()
    {
        var shop = coldmod.CreateShop("watch");

        var watch = (await shop.BuildAsync("-p:DotNetWatchBuild=true")).EnsureSuccess();

        Assert.Contains("Coldmod: weaving skipped for this dotnet watch build of Shop.dll", watch.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Coldmod: wove", watch.Output, StringComparison.Ordinal);
        Assert.Equal(0, AssemblyInspector.CountProbeTypes(shop.OutputAssembly));

        // Nothing changed but the kind of build: the unwoven assembly must not be shipped by a normal build.
        var normal = (await shop.BuildAsync()).EnsureSuccess();

        Assert.Contains(ShopExpectations.WoveMessage(ShopExpectations.SrcCount), normal.Output, StringComparison.Ordinal);
        Assert.Equal(1, AssemblyInspector.CountProbeTypes(shop.OutputAssembly));
    }
}
