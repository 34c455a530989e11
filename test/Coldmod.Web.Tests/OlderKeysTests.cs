using Bunit;
using Coldmod.Server.Components.Pages;
using Coldmod.Server.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using static Coldmod.Web.Tests.Entries;

namespace Coldmod.Web.Tests;

// The page of an app with two versions: the current version's keys in the tree, table, totals and bands; the keys only
// older versions have in their own collapsed section.
public sealed class OlderKeysTests : BunitContext
{
    private const string Removed = "Shop.Orders.OrderService.Refund";

    private static readonly HeatEntry[] s_current =
    [
        Entry("Shop.Orders.OrderService.Cancel(System.Int32)", 0),
        Entry("Shop.Orders.OrderService.Place", 5),
    ];

    private static readonly HeatEntry[] s_older = [Entry(Removed, 0)];

    [Fact]
    public async Task Keys_only_in_older_versions_are_apart_collapsed_and_stay_open_across_live_updates()
    {
        var view = new FakeHeatmapView("shop", s_current, s_older);
        Services.AddSingleton<IHeatmapView>(view);
        Services.AddSingleton(TimeProvider.System);
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var page = Render<Heatmap>();

        Assert.Equal("1/2", page.Find("li[data-name='Shop.Orders'] > .row [data-testid=ratio]").TextContent);
        Assert.Equal("2 of 2 shown", page.Find("[data-testid=shown]").TextContent.Trim());
        Assert.Equal("COLD 1", page.Find("[data-band=Cold]").TextContent.Trim());
        Assert.Equal("1", page.Find("[data-testid=older-count]").TextContent);
        Assert.Equal("false", page.Find("[data-testid=older-toggle]").GetAttribute("aria-expanded"));
        Assert.Empty(page.FindAll("[data-testid=older-key]"));
        await page.Find("li[data-name='Shop.Orders'] > .row [data-testid=toggle]").ClickAsync(new MouseEventArgs());
        await page.Find("li[data-name='OrderService'] > .row [data-testid=toggle]").ClickAsync(new MouseEventArgs());
        Assert.DoesNotContain(page.FindAll("li[data-depth='3']"), n => n.GetAttribute("data-name") == "Refund");

        await page.Find("[data-testid=older-toggle]").ClickAsync(new MouseEventArgs());
        Assert.Equal([Removed], page.FindAll("[data-testid=older-key]").Select(r => r.GetAttribute("data-key")));

        // The old build's process calls the removed key; the current build gains a key.
        view.Publish([.. s_current, Entry("Shop.Orders.OrderService.Track", 0)], [Entry(Removed, 3)]);

        page.WaitForAssertion(() => Assert.Equal("3 of 3 shown", page.Find("[data-testid=shown]").TextContent.Trim()));
        Assert.Equal("true", page.Find("[data-testid=older-toggle]").GetAttribute("aria-expanded"));
        Assert.Equal("3", page.Find("[data-key='" + Removed + "'] td.count").TextContent);
        Assert.Equal("COLD 2", page.Find("[data-band=Cold]").TextContent.Trim());
    }

    [Fact]
    public void An_app_whose_keys_are_all_in_the_current_version_has_no_older_section()
    {
        Services.AddSingleton<IHeatmapView>(new FakeHeatmapView("shop", s_current));
        Services.AddSingleton(TimeProvider.System);
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var page = Render<Heatmap>();

        Assert.Empty(page.FindAll("[data-testid=older]"));
    }
}
