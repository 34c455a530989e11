using Coldmod.EndToEnd.Tests.Infrastructure;

namespace Coldmod.EndToEnd.Tests;

/// <summary>Reads one woven Release build of the sample; none of these tests changes it.</summary>
[Collection(EndToEndCollection.Name)]
public sealed class WovenBuildTests(PackagedColdmod coldmod)
{
    [Fact]
    public async Task Build_weaves_the_assembly_once_before_it_is_copied_to_bin()
    {
        var shop = await coldmod.WovenShopAsync();

        var woveLines = shop.Build.Output.Split('\n').Count(l => l.Contains("Coldmod: wove", StringComparison.Ordinal));
        Assert.True(woveLines == 1, shop.Build.Describe());
        Assert.Contains(ShopExpectations.WoveMessage(ShopExpectations.SrcCount), shop.Build.Output, StringComparison.Ordinal);
        Assert.Equal(1, AssemblyInspector.CountProbeTypes(shop.Workspace.IntermediateAssembly));
        Assert.Equal(File.ReadAllBytes(shop.Workspace.IntermediateAssembly), File.ReadAllBytes(shop.Workspace.OutputAssembly));
    }

    [Fact]
    public async Task A_run_counts_every_call_exactly_and_the_cold_paths_stay_at_zero()
    {
        var shop = await coldmod.WovenShopAsync();

        var (run, heatmap) = await shop.Workspace.RunAsync(shop.Workspace.OutputAssembly);

        // The woven app behaves as it did before weaving.
        Assert.True(run.Succeeded, run.Describe());
        Assert.Contains("revenue 48.50, 5 lines", run.Output, StringComparison.Ordinal);
        HeatmapAssert.CountsOfOneRun(run, heatmap);
    }

    [Fact]
    public async Task Coldmod_srcs_lists_every_woven_method_with_its_file_and_line()
    {
        var shop = await coldmod.WovenShopAsync();

        var srcs = await shop.Workspace.ColdmodAsync("srcs");

        Assert.True(srcs.Succeeded, srcs.Describe());
        var listed = srcs.Output.Split('\n')
            .Where(l => l.StartsWith("  ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split("  ", StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(parts => parts[0], parts => parts[1], StringComparer.Ordinal);
        Assert.Equal(ShopExpectations.CallsOfOneRun.Keys.Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
        foreach (var (key, location) in ShopExpectations.Locations)
        {
            Assert.Equal(location, listed[key]);
        }

        Assert.DoesNotContain("Generated/", srcs.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Coldmod_files_lists_the_traced_sources_without_the_ignored_folder()
    {
        var shop = await coldmod.WovenShopAsync();

        var files = await shop.Workspace.ColdmodAsync("files");

        Assert.True(files.Succeeded, files.Describe());
        Assert.Equal(ShopExpectations.TracedFiles, files.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
