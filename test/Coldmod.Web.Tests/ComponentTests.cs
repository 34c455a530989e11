using Bunit;
using Coldmod.Server.Components.Controls;
using Coldmod.Server.Model;
using static Coldmod.Web.Tests.Entries;

namespace Coldmod.Web.Tests;

public sealed class ComponentTests : BunitContext
{
    private static readonly HeatEntry[] s_entries =
    [
        Entry("Shop.Orders.OrderService.Cancel(System.Int32)", 0),
        Entry("Shop.Orders.OrderService.Place", 5),
        Entry("Shop.Legacy.Importer.Run", 0),
    ];

    [Fact]
    public void The_tree_shows_top_nodes_most_cold_first_and_children_only_when_expanded()
    {
        var root = HeatTree.Build(s_entries, TreeGrouping.Namespace);
        var expanded = new HashSet<string>();
        var toggled = new List<string>();
        var tree = Render<HeatTreeView>(p => p
            .Add(t => t.Root, root)
            .Add(t => t.Expanded, expanded)
            .Add(t => t.OnToggle, path => toggled.Add(path)));

        var top = tree.FindAll("[data-testid=tree] > li");
        Assert.Equal(["Shop.Legacy", "Shop.Orders"], top.Select(n => n.GetAttribute("data-name")));
        Assert.Equal(["1/1", "1/2"], top.Select(n => n.QuerySelector(".ratio")!.TextContent));
        Assert.Empty(tree.FindAll("li[data-depth='2']"));

        tree.Find("li[data-name='Shop.Orders'] > .row button").Click();
        Assert.Equal(["Shop.Orders"], toggled);

        expanded.Add("Shop.Orders");
        tree.Render(p => p.Add(t => t.Expanded, expanded));
        Assert.Equal(["OrderService"], tree.FindAll("li[data-depth='2']").Select(n => n.GetAttribute("data-name")));
    }

    [Fact]
    public void The_bar_of_an_all_cold_node_is_all_cold()
    {
        var tree = Render<HeatTreeView>(p => p.Add(t => t.Root, HeatTree.Build(s_entries, TreeGrouping.Namespace)));

        var bars = tree.FindAll("li[data-name='Shop.Legacy'] > .row rect");
        Assert.Equal(("100", "0"), (bars[0].GetAttribute("width"), bars[1].GetAttribute("width")));
    }

    [Fact]
    public void A_band_toggle_reports_the_filter_without_that_band()
    {
        HeatFilter? changed = null;
        var filter = Render<BandFilter>(p => p
            .Add(f => f.Filter, HeatFilter.All)
            .Add(f => f.Counts, new Dictionary<Band, int> { [Band.Cold] = 2, [Band.P10] = 1 })
            .Add(f => f.FilterChanged, f => changed = f));

        Assert.Equal("COLD 2", filter.Find("[data-band=Cold]").TextContent.Trim());
        filter.Find("[data-band=Cold]").Click();

        Assert.NotNull(changed);
        Assert.False(changed.Shows(Band.Cold));
        Assert.True(changed.Shows(Band.P10));
    }

    [Fact]
    public void The_app_selector_marks_the_app_shown_with_its_totals()
    {
        var selector = Render<AppSelector>(p => p
            .Add(s => s.Apps, [new AppSummary("billing", 4, 1, 10, 0, 0, Start), new AppSummary("shop", 10, 4, 99, 2, 12.5, Start)])
            .Add(s => s.Selected, "shop"));

        Assert.Equal("true", selector.Find("[data-app=shop]").GetAttribute("aria-pressed"));
        Assert.Equal("false", selector.Find("[data-app=billing]").GetAttribute("aria-pressed"));
        Assert.Contains("4 cold of 10 (40%)", selector.Find("[data-app=shop] [data-testid=app-cold]").TextContent, StringComparison.Ordinal);
    }
}
