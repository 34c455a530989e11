using System.Globalization;
using Coldmod.Server.Model;
using Microsoft.AspNetCore.Components;

namespace Coldmod.Server.Components.Controls;

/// <summary>The heat tree: each node with cold/total and a bar from cold (blue) to called (warm to hot).</summary>
public sealed partial class HeatTreeView
{
    private const int BarWidth = 100;
    private const string ColdColor = "#2b6cb0";

    // Siblings past this many are summarised: a page that lists thousands of namespaces answers nothing at a glance.
    private const int MaxChildren = 300;

    /// <summary>The tree's root (not shown itself).</summary>
    [Parameter]
    public HeatTreeNode Root { get; set; } = HeatTree.Build([], TreeGrouping.Namespace);

    /// <summary>Paths of the expanded nodes; the page keeps them across updates.</summary>
    [Parameter]
    public IReadOnlySet<string> Expanded { get; set; } = new HashSet<string>();

    /// <summary>Called with a node's path when it is expanded or collapsed.</summary>
    [Parameter]
    public EventCallback<string> OnToggle { get; set; }

    private static int ColdWidth(HeatTreeNode node) => (int)Math.Round(node.ColdFraction * BarWidth);

    // Orange for a few calls per src, deep red for many, in twelve steps: a colour that changed with every hit would
    // repaint every bar on every live update without telling the eye anything.
    private static string WarmColor(HeatTreeNode node)
    {
        var called = node.Total - node.Cold;
        var perSrc = called == 0 ? 0 : (double)node.Hits / called;
        var heat = Math.Round(Math.Clamp(Math.Log10(1 + perSrc) / 6, 0, 1) * 12) / 12;
        var green = (int)Math.Round(140 - (100 * heat));
        return string.Create(CultureInfo.InvariantCulture, $"rgb(221,{green},32)");
    }
}
