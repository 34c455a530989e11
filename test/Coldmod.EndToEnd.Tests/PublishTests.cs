using Coldmod.EndToEnd.Tests.Infrastructure;

namespace Coldmod.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class PublishTests(PackagedColdmod coldmod)
{
    [Fact]
    public async Task A_deterministic_publish_is_woven_exactly_once_and_counts_exactly()
    {
        var shop = coldmod.CreateShop("publish");

        // ContinuousIntegrationBuild writes /_/ document paths into the PDB: @(SourceRoot) must map them back to disk.
        var publish = (await shop.PublishAsync("-p:ContinuousIntegrationBuild=true")).EnsureSuccess();

        var woveLines = publish.Output.Split('\n').Count(l => l.Contains("Coldmod: wove", StringComparison.Ordinal));
        Assert.True(woveLines == 1, publish.Describe());
        Assert.Contains(ShopExpectations.WoveMessage(ShopExpectations.SrcCount), publish.Output, StringComparison.Ordinal);
        Assert.Equal(1, AssemblyInspector.CountProbeTypes(shop.PublishedAssembly));
        Assert.True(File.Exists(Path.Combine(Path.GetDirectoryName(shop.PublishedAssembly)!, "Coldmod.Runtime.dll")));

        var (run, heatmap) = await shop.RunAsync(shop.PublishedAssembly);

        HeatmapAssert.CountsOfOneRun(run, heatmap);
    }
}
