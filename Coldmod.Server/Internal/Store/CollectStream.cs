namespace Coldmod.Server.Internal.Store;

// The batches of one Collect call. Once one of them fails, the later ones are skipped rather than
// applied: applying them would raise the process's last sequence above the failed batch, and its
// re-send would then be taken for a duplicate.
internal sealed class CollectStream
{
    private volatile bool _failed;

    public bool Failed => _failed;

    // Set by the writer whenever a batch of this stream is done; the call's ack loop waits on it.
    public ProgressSignal Progress { get; } = new();

    public void MarkFailed() => _failed = true;
}
