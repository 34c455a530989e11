using Coldmod.Protocol;

namespace Coldmod.Server.Internal.Store;

// Not a TaskCompletionSource per batch: a group completes hundreds of batches, and waking the
// ack loop of each stream once per group instead of once per batch saves most of the thread-pool
// hand-offs under load.
internal sealed class BatchWork(Batch batch, CollectStream stream) : StoreWork
{
    private volatile bool _done;

    public Batch Batch { get; } = batch;

    public CollectStream Stream => stream;

    // Valid once IsDone.
    public BatchOutcome Outcome { get; private set; }

    // Valid once IsDone; set when the batch was not applied because the store failed or stopped.
    public Exception? Failure { get; private set; }

    public bool IsDone => _done;

    public override void Apply(WriterSession session)
    {
        if (stream.Failed)
        {
            Outcome = BatchOutcome.Skipped;
            return;
        }

        Outcome = session.ApplyBatch(Batch);
        if (Outcome is BatchOutcome.UnknownApp or BatchOutcome.UnknownVersion)
        {
            stream.MarkFailed();
        }
    }

    // For a store that applies the batch itself (Redis): records the outcome and completes.
    public void Finish(BatchOutcome outcome)
    {
        Outcome = outcome;
        if (outcome is BatchOutcome.UnknownApp or BatchOutcome.UnknownVersion)
        {
            stream.MarkFailed();
        }

        Complete();
    }

    public override void Complete()
    {
        _done = true;
        stream.Progress.Set();
    }

    public override void Fail(Exception exception)
    {
        stream.MarkFailed();
        Failure = exception;
        _done = true;
        stream.Progress.Set();
    }
}
