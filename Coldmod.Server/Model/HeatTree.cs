namespace Coldmod.Server.Model;

/// <summary>Builds the heat tree: where the cold srcs are, three levels deep.</summary>
public static class HeatTree
{
    /// <summary>The tree of these entries; its root has no name and holds the totals.</summary>
    public static HeatTreeNode Build(IEnumerable<HeatEntry> entries, TreeGrouping grouping)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var root = HeatTreeNode.Root();
        foreach (var entry in entries)
        {
            KeyParts.Groups(entry.Key, entry.File, grouping, out var outerName, out var innerName);
            var outer = root.Group(outerName);
            var inner = outer.Group(innerName);
            root.Count(entry);
            outer.Count(entry);
            inner.Count(entry);
        }

        return root;
    }
}
