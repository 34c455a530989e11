using System.Text.Json;
using Coldmod.EndToEnd.Tests.Infrastructure;

namespace Coldmod.EndToEnd.Tests;

/// <summary>
/// The woven sample reports to a real `coldmod serve` (SQLite, loopback, insecure) through ColdmodTracing.Start(),
/// and `coldmod fetch` shows exact counts and the cold methods.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class BackendTests(PackagedColdmod coldmod)
{
    [Fact]
    public async Task The_woven_sample_reports_to_coldmod_serve_and_fetch_shows_exact_counts_and_the_cold_methods()
    {
        var shop = await coldmod.WovenShopAsync();
        var store = Path.Combine(shop.Workspace.Directory, $"backend-{Guid.NewGuid():N}.db");
        await using var server = await ColdmodServe.StartAsync(coldmod, shop.Workspace.ProjectDirectory, store);
        var environment = server.Environment;

        var run = await coldmod.DotNetAsync(shop.Workspace.ProjectDirectory, [shop.Workspace.OutputAssembly], PackagedColdmod.RunTimeout, environment);
        Assert.True(run.Succeeded, run.Describe());
        Assert.DoesNotContain("coldmod:", run.Output, StringComparison.Ordinal);

        var all = await ChildProcess.RunAsync(coldmod.ColdmodTool, ["fetch", "--all", "--format", "json"], shop.Workspace.ProjectDirectory, environment, PackagedColdmod.RunTimeout);
        Assert.True(all.Succeeded, all.Describe());
        var json = all.Output[all.Output.IndexOf('{', StringComparison.Ordinal)..(all.Output.LastIndexOf('}') + 1)];
        var counts = JsonDocument.Parse(json).RootElement.GetProperty("entries").EnumerateArray()
            .ToDictionary(e => e.GetProperty("key").GetString()!, e => e.GetProperty("count").GetInt64(), StringComparer.Ordinal);
        Assert.Equal(ShopExpectations.CallsOfOneRun.OrderBy(p => p.Key, StringComparer.Ordinal), counts.OrderBy(p => p.Key, StringComparer.Ordinal));

        var cold = await ChildProcess.RunAsync(coldmod.ColdmodTool, ["fetch"], shop.Workspace.ProjectDirectory, environment, PackagedColdmod.RunTimeout);
        Assert.True(cold.Succeeded, cold.Describe());
        foreach (var (key, count) in ShopExpectations.CallsOfOneRun)
        {
            Assert.True(count == 0 == cold.Output.Contains($"  {key}  ", StringComparison.Ordinal), $"{key} ({count} calls) in the cold list:\n{cold.Describe()}");
        }

        await AssertThePageIsServedWithItsAssetsAsync(server);
    }

    // The tool is installed from the packed feed, so this is the page as a user of the tool gets it: the page, the
    // Blazor script, the styles and QuickGrid's module, each the file itself.
    private static async Task AssertThePageIsServedWithItsAssetsAsync(ColdmodServe server)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://{server.WebHost}/"), Timeout = TimeSpan.FromSeconds(30) };
        var page = await http.GetStringAsync("/");
        Assert.Contains("_framework/blazor.web.js", page, StringComparison.Ordinal);
        foreach (var (asset, text) in new[]
        {
            ("_framework/blazor.web.js", "Blazor"),
            ("app.css", "{"),
            ("Coldmod.Server.styles.css", "{"),
            ("_content/Microsoft.AspNetCore.Components.QuickGrid/QuickGrid.razor.js", "export"),
        })
        {
            using var response = await http.GetAsync(asset);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode && body.Contains(text, StringComparison.Ordinal), $"{asset}: {(int)response.StatusCode}, {body.Length} chars");
        }

        Assert.DoesNotContain(server.Output, line => line.Contains("assets are not in this installation", StringComparison.Ordinal));
    }
}
