using Coldmod.Server.Internal.Configuration;
using Microsoft.Extensions.Options;

namespace Coldmod.Server.Internal.Store;

// Opens the store before the server accepts calls (StartingAsync runs before any StartAsync, so a
// bad file stops the start before a port is bound) and drains the writer after the server has
// stopped (StoppedAsync runs after every StopAsync): Collect calls that end at ApplicationStopping
// still get the acks of the batches they had received.
internal sealed class StoreLifetime(
    IOptions<ServerOptions> options,
    StoreWriter writer,
    StoreReader reader,
    TimeProvider time,
    ILogger<StoreLifetime> logger) : IHostedLifecycleService, IAsyncDisposable
{
    // Longer than a sender keeps retrying one batch; see Collect in coldmod.proto.
    private static readonly TimeSpan s_sequenceRetention = TimeSpan.FromDays(30);

    // Retention is also applied on every Set of the app; this catches apps whose processes stopped starting.
    private static readonly TimeSpan s_retentionSweep = TimeSpan.FromHours(1);

    private WriterSession? _session;
    private ITimer? _sweep;

    public Task StartingAsync(CancellationToken cancellationToken)
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
        var pruned = _session.PruneSequences(now.Subtract(s_sequenceRetention).ToUnixTimeMilliseconds());
        var expired = _session.DropSilentVersions();
        _session.Commit();
        if (pruned > 0)
        {
            ServerLog.SequencesPruned(logger, pruned);
        }

        LogExpired(expired, retention);
        reader.Open(path);
        writer.Start(_session);
        _sweep = time.CreateTimer(_ => SweepVersions(retention), null, s_retentionSweep, s_retentionSweep);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => CloseAsync();

    // Also reached when a host is disposed without being stopped.
    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    private async void SweepVersions(TimeSpan retention)
    {
        try
        {
            LogExpired(await writer.Enqueue(session => session.DropSilentVersions()).ConfigureAwait(false), retention);
        }
        catch (Exception e) when (e is StoreStoppedException or Microsoft.Data.Sqlite.SqliteException)
        {
            // Stopping, or the store failed (the writer logged it): the next sweep or Set tries again.
        }
    }

    private void LogExpired(List<(string App, string Version)> expired, TimeSpan retention)
    {
        foreach (var (app, version) in expired)
        {
            ServerLog.VersionExpired(logger, app, version, retention);
        }
    }

    private async Task CloseAsync()
    {
        if (_sweep is not null)
        {
            await _sweep.DisposeAsync().ConfigureAwait(false);
            _sweep = null;
        }

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
}
