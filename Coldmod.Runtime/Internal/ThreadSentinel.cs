namespace Coldmod.Runtime.Internal;

// Notices thread death without polling: the only reference to a thread's sentinel is its own thread-static
// slot, so the sentinel is finalized only once the thread is gone. Its counter arrays then go back to their
// modules for the next thread to reuse, counts and all, so short-lived threads cost no memory growth and
// their pending counts are still drained.
internal sealed class ThreadSentinel
{
    [ThreadStatic]
    private static ThreadSentinel? s_current;

    // Touched by the owning thread while it lives and by the finalizer after it has died, never by both.
    private readonly List<KeyValuePair<ModuleCounters, ThreadCounters>> _attached = [];

    public static ThreadSentinel Current => s_current ??= new ThreadSentinel();

    ~ThreadSentinel()
    {
        foreach (var (module, counters) in _attached)
        {
            module.Release(counters);
        }
    }

    public ThreadCounters? Find(ModuleCounters module)
    {
        foreach (var (attached, counters) in _attached)
        {
            if (ReferenceEquals(attached, module))
            {
                return counters;
            }
        }

        return null;
    }

    public void Add(ModuleCounters module, ThreadCounters counters) => _attached.Add(new(module, counters));
}
