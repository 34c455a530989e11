namespace Coldmod.Server.Internal.Store;

// Tells the web view that the store committed: counts changed, or (Set, reset) the srcs themselves did, which a
// view cannot follow from changed counts alone.
internal sealed class HeatChanges
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _commits;
    private long _structure;

    public long Commits => Interlocked.Read(ref _commits);

    public long Structure => Interlocked.Read(ref _structure);

    public void Committed(bool structural)
    {
        if (structural)
        {
            Interlocked.Increment(ref _structure);
        }

        Interlocked.Increment(ref _commits);
        TaskCompletionSource next;
        lock (_lock)
        {
            next = _next;
            _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        next.TrySetResult();
    }

    // Completes at the first commit after `seen`, or at once when one already happened.
    public Task WaitAsync(long seen)
    {
        lock (_lock)
        {
            return Commits != seen ? Task.CompletedTask : _next.Task;
        }
    }
}
