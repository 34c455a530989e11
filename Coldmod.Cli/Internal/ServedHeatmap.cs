using Coldmod.Weaver;

namespace Coldmod.Cli.Internal;

// What a heatmap says beyond counts: which keys only older builds have (a server's), and which counts are partly estimated.
internal sealed record ServedHeatmap(IReadOnlyList<HeatmapEntry> Entries, IReadOnlySet<string> OlderOnly, IReadOnlyDictionary<string, Estimate> Estimates)
{
    public static ServedHeatmap None { get; } = new([], new HashSet<string>(), new Dictionary<string, Estimate>());

    // An offline heatmap file has no versions; its entries carry their own estimated parts.
    public static ServedHeatmap FromFile(IReadOnlyList<HeatmapEntry> entries) => new(
        entries,
        new HashSet<string>(),
        entries.Where(e => e.Estimated > 0).ToDictionary(e => e.Key, e => new Estimate(e.Estimated, e.EstimateError), StringComparer.Ordinal));
}
