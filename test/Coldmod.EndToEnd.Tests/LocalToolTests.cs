using System.Text.Json;
using Coldmod.EndToEnd.Tests.Infrastructure;

namespace Coldmod.EndToEnd.Tests;

/// <summary>
/// Installs the coldmod tool the way the README tells a repository to: a tool manifest in the checkout and
/// <c>dotnet tool install Coldmod.Cli</c>, restoring only from the packed feed into a packages folder of its own;
/// then runs it as <c>dotnet coldmod</c>.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class LocalToolTests(PackagedColdmod coldmod)
{
    [Fact]
    public async Task The_tool_installed_from_the_feed_into_a_checkouts_manifest_runs_as_dotnet_coldmod_srcs()
    {
        var shop = await coldmod.WovenShopAsync();
        var checkout = Path.Combine(coldmod.Root, "local-tool-checkout");
        var packages = Path.Combine(coldmod.Root, "local-tool-packages");
        var project = Path.Combine(checkout, "Shop");
        CopyTree(shop.Workspace.ProjectDirectory, project);

        // <clear/> drops every source the machine or the user configured: the feed is the only place to restore from.
        File.WriteAllText(Path.Combine(checkout, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{packages}" />
              </config>
              <packageSources>
                <clear />
                <add key="coldmod-e2e" value="{coldmod.Feed}" />
              </packageSources>
            </configuration>
            """);
        var environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = packages };

        var manifest = await coldmod.DotNetAsync(checkout, ["new", "tool-manifest"], PackagedColdmod.BuildTimeout, environment);
        Assert.True(manifest.Succeeded, manifest.Describe());
        var install = await coldmod.DotNetAsync(checkout, ["tool", "install", "Coldmod.Cli", "--version", coldmod.Version], PackagedColdmod.BuildTimeout, environment);
        Assert.True(install.Succeeded, install.Describe());

        // The .NET 10 SDK writes the manifest at the directory itself; earlier ones wrote it in .config/.
        var manifestPath = new[] { Path.Combine(checkout, "dotnet-tools.json"), Path.Combine(checkout, ".config", "dotnet-tools.json") }.FirstOrDefault(File.Exists);
        Assert.True(manifestPath is not null, manifest.Describe());
        using (var tools = JsonDocument.Parse(File.ReadAllText(manifestPath)))
        {
            var tool = tools.RootElement.GetProperty("tools").GetProperty("coldmod.cli");
            Assert.Equal(coldmod.Version, tool.GetProperty("version").GetString());
            Assert.Equal(["coldmod"], tool.GetProperty("commands").EnumerateArray().Select(c => c.GetString()));
        }

        Assert.True(Directory.Exists(Path.Combine(packages, "coldmod.cli", coldmod.Version)), $"the tool was not restored into {packages}");

        // The copy's PDB still names the build's own directory, so it is mapped back to the root, relative to it.
        var srcs = await coldmod.DotNetAsync(
            Path.Combine(project, "Orders"),
            ["coldmod", "srcs", "--source-root", shop.Workspace.ProjectDirectory + "/=."],
            PackagedColdmod.RunTimeout,
            environment);

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

        Assert.DoesNotContain("CM0012", srcs.Output, StringComparison.Ordinal);
    }

    private static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (var child in Directory.EnumerateDirectories(source))
        {
            CopyTree(child, Path.Combine(destination, Path.GetFileName(child)));
        }
    }
}
