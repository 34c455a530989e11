using Coldmod.EndToEnd.Tests.Infrastructure;

namespace Coldmod.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class BuildErrorTests(PackagedColdmod coldmod)
{
    [Fact]
    public async Task A_missing_rootmarker_fails_every_build_with_CM0001_until_one_is_created()
    {
        var shop = coldmod.CreateShop("no-rootmarker");
        var rootMarker = File.ReadAllText(shop.RootMarker);
        File.Delete(shop.RootMarker);

        var first = await shop.BuildAsync();

        Assert.False(first.Succeeded, first.Describe());
        Assert.Contains("error CM0001", first.Output, StringComparison.Ordinal);
        Assert.Contains($"No coldmod.rootmarker found in {shop.ProjectDirectory} or any directory above it", first.Output, StringComparison.Ordinal);
        Assert.Contains("Create an empty coldmod.rootmarker", first.Output, StringComparison.Ordinal);
        Assert.False(File.Exists(shop.IntermediateAssembly), "The unwoven assembly must not stay in obj/, or the next build would ship it.");

        var second = await shop.BuildAsync();

        Assert.False(second.Succeeded, second.Describe());
        Assert.Contains("error CM0001", second.Output, StringComparison.Ordinal);

        File.WriteAllText(shop.RootMarker, rootMarker);
        var fixedBuild = (await shop.BuildAsync()).EnsureSuccess();

        Assert.Contains(ShopExpectations.WoveMessage(ShopExpectations.SrcCount), fixedBuild.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_rootmarker_is_reported_at_its_line_and_column()
    {
        var shop = coldmod.CreateShop("bad-rootmarker");
        File.WriteAllText(shop.RootMarker, "[ignore]\nfiles = 3\n");

        var build = await shop.BuildAsync();

        Assert.False(build.Succeeded, build.Describe());
        Assert.Matches(@$"{System.Text.RegularExpressions.Regex.Escape(shop.RootMarker)}\(2,\d+\): error CM0002: ", build.Output);
    }

    [Fact]
    public async Task Weaving_a_project_that_does_not_reference_Coldmod_Runtime_fails_with_CM0009()
    {
        var shop = coldmod.CreateShop("no-runtime");
        shop.EditProject(project =>
        {
            project.Descendants("PackageReference").Single(r => (string?)r.Attribute("Include") == "Coldmod").SetAttributeValue("ExcludeAssets", "compile;runtime");

            // The one file that calls Coldmod.Runtime would not compile without it; the weaving error is what is tested.
            project.Root!.Add(new System.Xml.Linq.XElement("ItemGroup", new System.Xml.Linq.XElement("Compile", new System.Xml.Linq.XAttribute("Remove", "StartTracing.cs"))));
        });

        var build = await shop.BuildAsync();

        Assert.False(build.Succeeded, build.Describe());
        Assert.Contains($"{shop.ProjectFile} : error CM0009: ", build.Output, StringComparison.Ordinal);
        Assert.Contains("does not reference Coldmod.Runtime.dll", build.Output, StringComparison.Ordinal);
    }
}
