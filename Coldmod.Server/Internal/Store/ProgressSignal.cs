namespace Coldmod.Server.Internal.Store;

// One waiter, any number of setters; a Set with nobody waiting is remembered for the next wait.
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
            if (_waiter is null)
            {
                _set = true;
                return;
            }

            waiter = _waiter;
            _waiter = null;
        }

        waiter.TrySetResult();
    }

    public Task WaitAsync()
    {
        lock (_lock)
        {
            if (_set)
            {
                _set = false;
                return Task.CompletedTask;
            }

            _waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _waiter.Task;
        }
    }
}
