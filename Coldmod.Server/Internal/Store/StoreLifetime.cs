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

    private WriterSession? _session;

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

        _session = new WriterSession(opened.Connection);
        var now = time.GetUtcNow();
        _session.Begin(now.ToUnixTimeMilliseconds());
        var pruned = _session.PruneSequences(now.Subtract(s_sequenceRetention).ToUnixTimeMilliseconds());
        _session.Commit();
        if (pruned > 0)
        {
            ServerLog.SequencesPruned(logger, pruned);
        }

        reader.Open(path);
        writer.Start(_session);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => CloseAsync();

    // Also reached when a host is disposed without being stopped.
    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    private async Task CloseAsync()
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
}
