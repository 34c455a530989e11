using Coldmod.Protocol;

namespace Coldmod.Server.Internal.Store;

// Single-writer queue: request handlers enqueue work, one loop drains whatever is queued into one
// transaction (a group), commits, then completes each item. Grouping is what makes SQLite fast
// here: one commit, and one UPDATE per hot src, for many batches from many senders.
internal sealed class StoreWriter(ILogger<StoreWriter> logger, TimeProvider time, HeatChanges changes)
{
    private const int MaxGroup = 1024;

    private readonly WorkQueue _queue = new();
    private Task _loop = Task.CompletedTask;

    public void Start(WriterSession session) => _loop = Task.Run(() => RunAsync(session));

    public Task<T> Enqueue<T>(Func<WriterSession, T> apply) => Enqueue(new StoreOperation<T>(apply));

    public BatchWork EnqueueBatch(Batch batch, CollectStream stream)
    {
        var work = new BatchWork(batch, stream);
        if (!_queue.TryAdd(work))
        {
            work.Fail(new StoreStoppedException());
        }

        return work;
    }

    // Accepts no more work, commits what is queued, and returns when the loop has finished.
    public async Task DrainAsync()
    {
        _queue.Close();
        ServerLog.WriterDraining(logger, _queue.Count);

        await _loop.ConfigureAwait(false);
    }

    private Task<T> Enqueue<T>(StoreOperation<T> work)
    {
        if (_queue.TryAdd(work))
        {
            return work.Completion;
        }

        work.Fail(new StoreStoppedException());
        return work.Completion;
    }

    private async Task RunAsync(WriterSession session)
    {
        var group = new List<StoreWork>(MaxGroup);
        while (await _queue.WaitAsync().ConfigureAwait(false))
        {
            while (group.Count < MaxGroup && _queue.TryTake(out var work))
            {
                group.Add(work);
            }

            ApplyGroup(session, group);
            group.Clear();
        }
    }

    private void ApplyGroup(WriterSession session, List<StoreWork> group)
    {
        try
        {
            session.Begin(time.GetUtcNow().ToUnixTimeMilliseconds());
            foreach (var work in group)
            {
                work.Apply(session);
            }

            session.Commit();
        }
        catch (Exception e)
        {
            ServerLog.StoreWriteFailed(logger, group.Count, e);
            session.Rollback();
            foreach (var work in group)
            {
                work.Fail(e);
            }

            return;
        }

        changes.Committed(structural: group.Exists(work => work is not BatchWork));
        foreach (var work in group)
        {
            work.Complete();
        }
    }
}
