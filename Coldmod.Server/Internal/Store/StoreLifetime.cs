using Coldmod.Server.Internal.Configuration;
using Microsoft.Extensions.Options;

namespace Coldmod.Server.Internal.Store;

// Opens the store before the server accepts calls (StartingAsync runs before any StartAsync, so a
// bad store stops the start before a port is bound) and drains it after the server has
// stopped (StoppedAsync runs after every StopAsync): Collect calls that end at ApplicationStopping
// still get the acks of the batches they had received.
internal sealed class StoreLifetime(
    IOptions<ServerOptions> options,
    IHeatmapStore store,
    TimeProvider time,
    ILogger<StoreLifetime> logger) : IHostedLifecycleService, IAsyncDisposable
{
    // Retention is also applied on every Set of the app; this catches apps whose processes stopped starting.
    private static readonly TimeSpan s_retentionSweep = TimeSpan.FromHours(1);

    private ITimer? _sweep;
    private bool _open;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        await store.OpenAsync(cancellationToken).ConfigureAwait(false);
        _open = true;
        var retention = options.Value.VersionRetentionPeriod;
        _sweep = time.CreateTimer(_ => SweepVersions(retention), null, s_retentionSweep, s_retentionSweep);
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
            StoreRetention.LogExpired(logger, await store.DropSilentVersionsAsync().ConfigureAwait(false), retention);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Stopping, or the store failed (the writer logged it): the next sweep or Set tries again.
        }
    }

    private async Task CloseAsync()
    {
        if (_sweep is not null)
        {
            await _sweep.DisposeAsync().ConfigureAwait(false);
            _sweep = null;
        }

        if (!_open)
        {
            return;
        }

        _open = false;
        await store.CloseAsync().ConfigureAwait(false);
    }
}
