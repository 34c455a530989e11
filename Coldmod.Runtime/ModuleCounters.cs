using System.ComponentModel;
using System.Reflection;
using System.Runtime.CompilerServices;
using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime;

/// <summary>
/// The call counters of one woven module. Woven code calls this type; applications do not.
/// </summary>
/// <remarks>
/// Each thread counts into its own array with plain increments, and marks a method dirty on its first hit
/// after a drain, so the hot path takes no lock, makes no interlocked operation and allocates nothing.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ModuleCounters
{
    private readonly DirtyQueue _queue;
    private readonly ModuleSrcs _srcs;

    private readonly object _threadGate = new();
    private readonly Stack<ThreadCounters> _free = new();
    private ThreadCounters[] _threads = [];

    private readonly object _drainGate = new();
    private readonly int[] _taken;
    private readonly long[] _sums;

    internal ModuleCounters(string name, int methodCount, ModuleSrcs srcs)
    {
        Name = name;
        MethodCount = Math.Max(methodCount, 0);
        _srcs = srcs;
        DirtyFlags = new int[MethodCount];
        _queue = new DirtyQueue(MethodCount);
        _taken = new int[_queue.Capacity];
        _sums = new long[MethodCount];
    }

    /// <summary>
    /// One flag per method: 0 when the method has not been hit since the last drain, 1 once it is queued for the next one.
    /// </summary>
    public int[] DirtyFlags { get; }

    internal string Name { get; }

    internal int MethodCount { get; }

    internal bool SrcsLoaded => _srcs.IsLoaded;

    internal IReadOnlyList<string> Keys => _srcs.Keys;

    internal SrcsTable? Srcs => _srcs.Table;

    internal bool IsFrom(Assembly assembly) => _srcs.Holds(assembly);

    // Lets a test call probes at the end of a drain, after the counts are read and before the lock is released.
    internal Action? CountsReadHook { get; set; }

    internal int ThreadArrayCount => Volatile.Read(ref _threads).Length;

    internal int DirtyQueueDepth => _queue.Depth;

    internal int MaxDirtyQueueDepth => _queue.MaxDepth;

    /// <summary>
    /// Returns the calling thread's own counter array (one slot per method), which only that thread may write.
    /// </summary>
    public int[] AttachThread()
    {
        var sentinel = ThreadSentinel.Current;
        var counters = sentinel.Find(this);
        if (counters is null)
        {
            counters = Rent();
            sentinel.Add(this, counters);
        }

        return counters.Counts;
    }

    /// <summary>
    /// Queues the method for the next drain unless it is already queued. Called on a method's first hit after a drain.
    /// </summary>
    // Kept out of line: it runs once per method per drain, and inlined into every probe it would bloat the hot path.
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void MarkDirty(int index)
    {
        if ((uint)index < (uint)DirtyFlags.Length && Interlocked.CompareExchange(ref DirtyFlags[index], 1, 0) == 0)
        {
            _queue.Enqueue(index);
        }
    }

    // Counts since the previous drain, for the methods hit since then; with sweep, for every method, dirty or not
    // (the last drain before exit, which must not depend on any probe having marked its method).
    internal IReadOnlyList<HitCount> Drain(bool sweep = false)
    {
        lock (_drainGate)
        {
            var taken = _queue.DequeueAvailable(_taken);
            for (var i = 0; i < taken; i++)
            {
                Volatile.Write(ref DirtyFlags[_taken[i]], 0);
            }

            // A probe stores its count and then loads the flag with no fence in between (a fence per call would cost
            // more than the rest of the probe); this process-wide barrier is that fence, paid once per drain. Take any
            // increment: if its thread reached the barrier after it, the reads below see it. Otherwise the probe's
            // flag load comes after the barrier, hence after the resets above: it finds 0 and queues the method
            // again, or finds the 1 of a thread that already did, and the drain that takes that entry sees the
            // increment, which precedes that drain's reset and barrier. So flags are reset before the barrier and
            // counts read after it; the other order leaves a window where an increment is seen by no drain. The
            // thread list is read after the barrier too, so that a thread that attached before it is included.
            Interlocked.MemoryBarrierProcessWide();

            var threads = Volatile.Read(ref _threads);
            if (sweep)
            {
                foreach (var thread in threads)
                {
                    for (var index = 0; index < MethodCount; index++)
                    {
                        _sums[index] += TakeDelta(thread, index);
                    }
                }

                return Finish(CollectSums(all: true, taken: 0));
            }

            foreach (var thread in threads)
            {
                for (var i = 0; i < taken; i++)
                {
                    var index = _taken[i];
                    _sums[index] += TakeDelta(thread, index);
                }
            }

            return Finish(CollectSums(all: false, taken));
        }
    }

    internal void Release(ThreadCounters counters)
    {
        lock (_threadGate)
        {
            _free.Push(counters);
        }
    }

    // Counters are never reset, so the owner's plain increments cannot race with a reset: the delta against
    // the shadow is what arrived since the last drain. Unsigned subtraction survives wraparound as long as no
    // thread hits one method 2^32 times between two drains.
    private static uint TakeDelta(ThreadCounters thread, int index)
    {
        var current = thread.Counts[index];
        var delta = unchecked((uint)(current - thread.Shadow[index]));
        thread.Shadow[index] = current;
        return delta;
    }

    private IReadOnlyList<HitCount> Finish(IReadOnlyList<HitCount> hits)
    {
        CountsReadHook?.Invoke();
        return hits;
    }

    // Turns the non-zero sums into hits and zeroes them for the next drain.
    private IReadOnlyList<HitCount> CollectSums(bool all, int taken)
    {
        List<HitCount>? hits = null;
        IReadOnlyList<string>? keys = null;
        var count = all ? MethodCount : taken;
        for (var i = 0; i < count; i++)
        {
            var index = all ? i : _taken[i];
            var sum = _sums[index];
            if (sum != 0)
            {
                _sums[index] = 0;
                hits ??= [];
                keys ??= Keys;
                hits.Add(new HitCount(keys[index], sum));
            }
        }

        return hits is null ? [] : hits;
    }

    private ThreadCounters Rent()
    {
        lock (_threadGate)
        {
            if (_free.Count > 0)
            {
                return _free.Pop();
            }

            var counters = new ThreadCounters(MethodCount);
            Volatile.Write(ref _threads, [.. _threads, counters]);
            return counters;
        }
    }
}
