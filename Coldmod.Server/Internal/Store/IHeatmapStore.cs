using Coldmod.Protocol;

namespace Coldmod.Server.Internal.Store;

// The one store contract: the services, the web endpoints and the ops calls use only this, so the SQLite file and
// Redis behave alike (VersionRules says how). Every method that changes the store completes only once the change is
// durable in the store's own terms; a failure means nothing was changed and the caller may retry.
internal interface IHeatmapStore
{
    // Opens (and migrates or creates) the store; throws ColdmodStoreException with a clear message when it cannot.
    public Task OpenAsync(CancellationToken cancellationToken);

    // Accepts no more work, finishes what was accepted, and releases the store.
    public Task CloseAsync();

    public Task<SetResult> SetAsync(SetRequest request);

    // Applies a batch, deduplicated by its process's highest sequence; the returned work is done once the store has
    // applied it (or failed), and it sets the stream's progress signal then.
    public BatchWork EnqueueBatch(Batch batch, CollectStream stream);

    // Null when the app is unknown.
    public Task<HeatView?> FetchAsync(string app, bool all);

    // Every app when app is null; null when a named app is unknown.
    public Task<StatusCounts?> StatusAsync(string? app);

    // Null when the app is unknown; oldest first, the current version last.
    public Task<IReadOnlyList<VersionRow>?> VersionsAsync(string app);

    // Null when the app is unknown.
    public Task<DropResult?> DropVersionAsync(string app, string version);

    // Null when the app is unknown; otherwise the number of srcs whose counts were zeroed.
    public Task<long?> ResetHeatmapAsync(string app);

    public Task<(long Apps, long Srcs)> ResetAllAsync();

    // Retention over every app: the versions dropped, as (app, version).
    public Task<List<(string App, string Version)>> DropSilentVersionsAsync();

    // The web view's reads. Synchronous: the view reads under its own lock, a few times a second at most.
    // Every app with its totals; "processes in the last hour" counts those whose last batch came at or after hourAgo.
    public List<ViewAppRow> ViewApps(long hourAgoUnixMilliseconds);

    // Null when the app is unknown.
    public ViewHeatmap? ViewHeatmap(string app);

    // The srcs last called at or after the moment (a heatmap's watermark).
    public List<ViewChangedRow> ViewChangedSince(string app, long sinceUnixMilliseconds);
}
