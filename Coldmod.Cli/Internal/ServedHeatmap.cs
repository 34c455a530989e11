using Coldmod.Weaver;

namespace Coldmod.Cli.Internal;

// What the server adds to a heatmap: which keys only older builds have, and which counts are partly estimated.
internal sealed record ServedHeatmap(IReadOnlyList<HeatmapEntry> Entries, IReadOnlySet<string> OlderOnly, IReadOnlyDictionary<string, Estimate> Estimates)
{
    public static ServedHeatmap None { get; } = new([], new HashSet<string>(), new Dictionary<string, Estimate>());
}
