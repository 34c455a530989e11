using Coldmod.Server.Model;

namespace Coldmod.Server.Internal.Store;

// A whole heatmap for the web view, ordered by key, with the latest last-seen time in it (Unix milliseconds): the
// view's next refresh asks for what changed at or after it.
internal sealed record ViewHeatmap(HeatEntry[] Entries, long Watermark);
