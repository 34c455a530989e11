namespace Coldmod.Server.Internal.Web;

internal sealed class HeatmapViewOptions
{
    // Live updates are coalesced to at most one per interval: a shared screen needs a few a second, not one a batch.
    public TimeSpan UpdateInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    // Without commits the app list is still refreshed this often, so hits/s falls to 0 when senders stop.
    public TimeSpan IdleRefresh { get; set; } = TimeSpan.FromSeconds(1);

    // A heatmap nobody watches is dropped after this long.
    public TimeSpan KeepUnwatched { get; set; } = TimeSpan.FromSeconds(30);
}
