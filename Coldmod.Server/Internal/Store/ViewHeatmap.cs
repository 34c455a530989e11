using Coldmod.Server.Model;

namespace Coldmod.Server.Internal.Store;

// A whole heatmap for the web view as VersionRules shows it: the current version's srcs, and apart the srcs only older
// retained versions list, each ordered by key, with the latest last-seen time in them (Unix milliseconds): the view's
// next refresh asks for what changed at or after it.
internal sealed record ViewHeatmap(HeatEntry[] Entries, HeatEntry[] OlderOnly, long Watermark);
