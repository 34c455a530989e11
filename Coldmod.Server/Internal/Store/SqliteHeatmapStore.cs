using Coldmod.Protocol;
using Coldmod.Server.Internal.Configuration;
using Microsoft.Extensions.Options;

namespace Coldmod.Server.Internal.Store;

// The SQLite file: one writer loop groups work into transactions (StoreWriter), readers use pooled WAL connections.
internal sealed class SqliteHeatmapStore(
    IOptions<ServerOptions> options,
    StoreWriter writer,
    StoreReader reader,
    HeatViewQueries view,
    TimeProvider time,
    ILogger<SqliteHeatmapStore> logger) : IHeatmapStore
{
    private WriterSession? _session;

    public Task OpenAsync(CancellationToken cancellationToken)
    {
        var path = options.Value.StorePath;
        var opened = StoreFile.Open(path, durable: false);
        if (opened.Created)
        {
            ServerLog.StoreCreated(logger, path, opened.ToVersion);
        }
        else if (opened.FromVersion != opened.ToVersion)
        {
            ServerLog.StoreMigrated(logger, path, opened.FromVersion, opened.ToVersion);
        }
        else
        {
            ServerLog.StoreOpened(logger, path, opened.ToVersion);
        }

        var retention = options.Value.VersionRetentionPeriod;
        _session = new WriterSession(opened.Connection, retention);
        var now = time.GetUtcNow();
        _session.Begin(now.ToUnixTimeMilliseconds());
        var pruned = _session.PruneSequences(now.Subtract(StoreRetention.Sequences).ToUnixTimeMilliseconds());
        var expired = _session.DropSilentVersions();
        _session.Commit();
        if (pruned > 0)
        {
            ServerLog.SequencesPruned(logger, pruned);
        }

        StoreRetention.LogExpired(logger, expired, retention);
        reader.Open(path);
        writer.Start(_session);
        return Task.CompletedTask;
    }

    public async Task CloseAsync()
    {
        if (_session is null)
        {
            return;
        }

        await writer.DrainAsync().ConfigureAwait(false);
        reader.Close();
        _session.Dispose();
        _session = null;
        ServerLog.StoreClosed(logger, options.Value.StorePath);
    }

    public Task<SetResult> SetAsync(SetRequest request) => writer.Enqueue(session => session.ApplySet(request));

    public BatchWork EnqueueBatch(Batch batch, CollectStream stream) => writer.EnqueueBatch(batch, stream);

    public Task<HeatView?> FetchAsync(string app, bool all) => Task.FromResult(reader.Fetch(app, all));

    public Task<StatusCounts?> StatusAsync(string? app) => Task.FromResult(reader.Status(app));

    public Task<IReadOnlyList<VersionRow>?> VersionsAsync(string app) => Task.FromResult(reader.Versions(app));

    public Task<DropResult?> DropVersionAsync(string app, string version) => writer.Enqueue(session => session.DropVersion(app, version));

    public Task<long?> ResetHeatmapAsync(string app) => writer.Enqueue(session => session.ResetHeatmap(app));

    public Task<(long Apps, long Srcs)> ResetAllAsync() => writer.Enqueue(session => session.ResetAll());

    public Task<List<(string App, string Version)>> DropSilentVersionsAsync() => writer.Enqueue(session => session.DropSilentVersions());

    public List<ViewAppRow> ViewApps(long hourAgoUnixMilliseconds) => view.Apps(hourAgoUnixMilliseconds);

    public ViewHeatmap? ViewHeatmap(string app) => view.Heatmap(app);

    public List<ViewChangedRow> ViewChangedSince(string app, long sinceUnixMilliseconds) => view.ChangedSince(app, sinceUnixMilliseconds);
}
