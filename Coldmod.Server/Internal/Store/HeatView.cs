namespace Coldmod.Server.Internal.Store;

// An app's heatmap as VersionRules shows it: the current version's keys, and apart those only older versions have.
internal sealed record HeatView(IReadOnlyList<HeatRow> Current, IReadOnlyList<HeatRow> OlderOnly, string Version, string Label);
