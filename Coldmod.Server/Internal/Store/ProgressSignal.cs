namespace Coldmod.Server.Internal.Store;

// One waiter, any number of setters. A Set is never lost: it completes the waiting task and is also remembered for
// the next wait, so a waiter that stopped awaiting its task (it woke for another reason) still sees it. The price is
// at most one spurious wake per Set, which a waiter that re-checks its condition does not notice.
internal sealed class ProgressSignal
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _waiter;
    private bool _set;

    public void Set()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            _set = true;
            waiter = _waiter;
            _waiter = null;
        }

        waiter?.TrySetResult();
    }

    // Completed at once if a Set came since the last wait returned completed; otherwise the one outstanding waiter.
    public Task WaitAsync()
    {
        lock (_lock)
        {
            if (_set)
            {
                _set = false;
                return Task.CompletedTask;
            }

            _waiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task;
        }
    }
}
