using Coldmod.Weaver;

namespace Coldmod.Cli.Internal;

// A heatmap reconciled with the local srcs. Local: every local src, at its local file:line, with the heatmap's count
// or 0; a key is matched by name only, since names survive moved code. NotFoundLocally: the heatmap keys no local
// build has, at the heatmap's file:line, except those the rootmarker ignores (the user has asked not to see them).
internal sealed record HeatmapRows(IReadOnlyList<HeatmapEntry> Local, IReadOnlyList<HeatmapEntry> NotFoundLocally)
{
    public static HeatmapRows Reconcile(IReadOnlyList<HeatmapEntry> heatmap, LocalSrcs local)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in heatmap)
        {
            counts[entry.Key] = entry.Count;
        }

        var localRows = local.Srcs
            .Select(src => new HeatmapEntry(src.Key, counts.GetValueOrDefault(src.Key), src.File, src.Line) { Label = src.Label })
            .ToList();

        var localKeys = local.Srcs.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var notFound = heatmap
            .Where(e => !localKeys.Contains(e.Key) && !local.Root.IgnoredKeySet.Contains(e.Key) && !local.Root.IsIgnoredFile(e.File))
            .OrderBy(e => e.File, StringComparer.Ordinal)
            .ThenBy(e => e.Line)
            .ThenBy(e => e.Key, StringComparer.Ordinal)
            .ToList();

        return new HeatmapRows(localRows, notFound);
    }
}
