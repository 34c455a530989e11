using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime;

/// <summary>
/// The call counters of one woven module. Woven code calls this type; applications do not.
/// </summary>
/// <remarks>
/// A woven method starts with a presence probe: it reads the method's flag in <see cref="ArmedFlags"/> and calls
/// <see cref="Hit"/> only while the flag is set. The flag is set at start, so every method's first calls are
/// counted one by one and a method that ran is never cold. Once a method has been counted
/// <c>ExactBound</c> times its flag is cleared, and from then on its probe costs one load, one compare and one
/// predicted branch; the sampler sets the flag again for short windows and estimates the rest of the calls from
/// them. In exact mode the flag is never cleared and every call is counted, per thread.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed unsafe class ModuleCounters
{
    private const int Counting = 0;
    private const int Sampling = 1;

    [ThreadStatic]
    private static ModuleCounters? t_lastModule;

    [ThreadStatic]
    private static ThreadCounters? t_lastCounters;

    private readonly CountingSettings _counting;
    private readonly DirtyQueue _queue;
    private readonly ModuleSrcs _srcs;

    // Native memory, so that the probe's address is a constant of the JIT-compiled code and the probe is one load.
    // Never freed: the registry keeps every module for the life of the process.
    private readonly int* _armed;

    // Sampled mode, one slot per method.
    private readonly int[] _phase;
    private readonly long[] _exact;
    private readonly long[] _exactShadow;
    private readonly int[] _windowHits;
    private readonly long[] _windowFullAt;
    private readonly long[] _samplingSince;
    private readonly long[] _estimated;
    private readonly double[] _variance;
    private readonly int[] _sampling;
    private int _samplingCount;
    private bool _windowOpen;
    private long _windowOpenedAt;
    private long _lastWindowClosedAt;

    // Exact mode.
    private readonly object _threadGate = new();
    private readonly Stack<ThreadCounters> _free = new();
    private ThreadCounters[] _threads = [];

    private readonly object _drainGate = new();
    private readonly int[] _taken;
    private readonly long[] _sums;

    internal ModuleCounters(string name, int methodCount, ModuleSrcs srcs, CountingSettings counting, bool armed = true)
    {
        Name = name;
        MethodCount = Math.Max(methodCount, 0);
        _srcs = srcs;
        _counting = counting;
        DirtyFlags = new int[MethodCount];
        _queue = new DirtyQueue(MethodCount);
        _taken = new int[_queue.Capacity];
        _sums = new long[counting.ExactEverywhere ? MethodCount : 0];

        _armed = (int*)Marshal.AllocHGlobal(Math.Max(MethodCount, 1) * sizeof(int));
        new Span<int>(_armed, MethodCount).Fill(armed ? 1 : 0);

        var sampled = counting.ExactEverywhere ? 0 : MethodCount;
        _phase = new int[sampled];
        _exact = new long[sampled];
        _exactShadow = new long[sampled];
        _windowHits = new int[sampled];
        _windowFullAt = new long[sampled];
        _samplingSince = new long[sampled];
        _estimated = new long[sampled];
        _variance = new double[sampled];
        _sampling = new int[sampled];
    }

    /// <summary>
    /// The address of one <see cref="int"/> flag per method: non-zero while the method's next call must call
    /// <see cref="Hit"/>. Read by the probes, written only by this type.
    /// </summary>
    public nint ArmedFlags => (nint)_armed;

    // One flag per method: 0 when the method has not been hit since the last drain, 1 once it is queued for the next one.
    internal int[] DirtyFlags { get; }

    internal string Name { get; }

    internal int MethodCount { get; }

    internal bool CountsExactly => _counting.ExactEverywhere;

    internal bool SrcsLoaded => _srcs.IsLoaded;

    internal IReadOnlyList<string> Keys => _srcs.Keys;

    internal SrcsTable? Srcs => _srcs.Table;

    internal bool IsFrom(Assembly assembly) => _srcs.Holds(assembly);

    // Lets a test call probes at the end of a drain, after the counts are read and before the lock is released.
    internal Action? CountsReadHook { get; set; }

    internal int ThreadArrayCount => Volatile.Read(ref _threads).Length;

    internal int DirtyQueueDepth => _queue.Depth;

    internal int MaxDirtyQueueDepth => _queue.MaxDepth;

    internal int SamplingCount => Math.Min(Volatile.Read(ref _samplingCount), _sampling.Length);

    internal bool IsArmed(int index) => Volatile.Read(ref _armed[index]) != 0;

    /// <summary>
    /// The probe's out-of-line path: counts a call of the method while its flag in <see cref="ArmedFlags"/> is set.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void Hit(int index)
    {
        if ((uint)index >= (uint)MethodCount)
        {
            return;
        }

        if (_counting.ExactEverywhere)
        {
            CountOnThread(index);
        }
        else if (Volatile.Read(ref _phase[index]) == Counting)
        {
            CountExactly(index);
        }
        else
        {
            CountInWindow(index);
        }
    }

    // Queues the method for the next drain unless it is already queued. Called on a method's first hit after a drain.
    internal void MarkDirty(int index)
    {
        if ((uint)index < (uint)DirtyFlags.Length && Interlocked.CompareExchange(ref DirtyFlags[index], 1, 0) == 0)
        {
            _queue.Enqueue(index);
        }
    }

    // Exact mode: the calling thread's own counter array, which only that thread may write.
    internal ThreadCounters AttachThread()
    {
        var sentinel = ThreadSentinel.Current;
        var counters = sentinel.Find(this);
        if (counters is null)
        {
            counters = Rent();
            sentinel.Add(this, counters);
        }

        t_lastModule = this;
        t_lastCounters = counters;
        return counters;
    }

    // Arms every sampled method for a window: its calls are counted again until it has WindowBudget of them or the
    // window closes. Called by the sampler; `now` is a Stopwatch timestamp.
    internal void OpenWindow(long now)
    {
        lock (_drainGate)
        {
            if (_counting.ExactEverywhere || _counting.WindowBudget <= 0 || _windowOpen)
            {
                return;
            }

            foreach (var index in SampledMethods())
            {
                Volatile.Write(ref _windowFullAt[index], 0);
                Interlocked.Exchange(ref _windowHits[index], 0);
                Volatile.Write(ref _armed[index], 1);
            }

            _windowOpenedAt = now;
            _windowOpen = true;
        }
    }

    // Disarms the sampled methods and turns each window's calls into an estimate for the time it stands for: from the
    // previous window's close (or the moment the method stopped being counted one by one) up to now. A window that
    // filled its budget measured its rate over the time it took to fill.
    internal void CloseWindow(long now)
    {
        lock (_drainGate)
        {
            if (!_windowOpen)
            {
                return;
            }

            _windowOpen = false;
            var openedAt = _windowOpenedAt;
            foreach (var index in SampledMethods())
            {
                Volatile.Write(ref _armed[index], 0);
                var hits = Interlocked.Exchange(ref _windowHits[index], 0);
                var since = Math.Max(_lastWindowClosedAt, Volatile.Read(ref _samplingSince[index]));
                if (hits == 0 || since >= now)
                {
                    continue;
                }

                var fullAt = Volatile.Read(ref _windowFullAt[index]);
                var windowEnd = fullAt > openedAt && fullAt <= now ? fullAt : now;
                var estimate = hits * (double)(now - since) / CallingTime(windowEnd - openedAt, hits);
                _estimated[index] = HeatmapFileStore.AddCounts(_estimated[index], (long)Math.Min(Math.Round(estimate), long.MaxValue / 2));
                _variance[index] += estimate * estimate / hits;
                MarkDirty(index);
            }

            _lastWindowClosedAt = now;
        }
    }

    // The Stopwatch ticks one counted window call adds to the caller's time, measured once per process: a window's
    // calls run slower than the method's calls outside it, so its length less their cost is the time the method's
    // callers would have taken for them. Kept at least a sixteenth of the window, for when the measure was off.
    internal static double WindowCallTicks { get; set; }

    internal static double CallingTime(long windowTicks, long hits) =>
        Math.Max(Math.Max(windowTicks - (hits * WindowCallTicks), windowTicks / 16.0), 1);

    // Times window calls of a private one-method module, to set WindowCallTicks; the best of a few rounds.
    internal static double MeasureWindowCallTicks()
    {
        const int Calls = 20_000;
        var module = new ModuleCounters("coldmod-calibration", 1, ModuleSrcs.FromKeys("coldmod-calibration", ["calibration"]), new CountingSettings(false, 1, int.MaxValue));
        module.Hit(0);
        module.EnsureSampling();
        module.OpenWindow(Stopwatch.GetTimestamp());
        var best = double.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var started = Stopwatch.GetTimestamp();
            for (var i = 0; i < Calls; i++)
            {
                CallLikeAProbe(module);
            }

            best = Math.Min(best, (Stopwatch.GetTimestamp() - started) / (double)Calls);
        }

        return best;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void CallLikeAProbe(ModuleCounters module)
    {
        if (module._armed[0] != 0)
        {
            module.Hit(0);
        }
    }

    private void EnsureSampling()
    {
        if (SamplingCount != 1 || Volatile.Read(ref _phase[0]) != Sampling)
        {
            throw new InvalidOperationException("the calibration module did not start sampling");
        }
    }

    // The methods that left exact counting, in the order they did. A slot is claimed before it is written, so one still
    // 0 is skipped: that method joins the next window.
    private IEnumerable<int> SampledMethods()
    {
        var count = SamplingCount;
        for (var slot = 0; slot < count; slot++)
        {
            var entry = Volatile.Read(ref _sampling[slot]);
            if (entry != 0)
            {
                yield return entry - 1;
            }
        }
    }

    // Counts since the previous drain, for the methods hit since then; with sweep, for every method, dirty or not
    // (the last drain before exit, which must not depend on any probe having marked its method).
    internal IReadOnlyList<HitCount> Drain(bool sweep = false)
    {
        lock (_drainGate)
        {
            if (sweep)
            {
                CloseWindow(Stopwatch.GetTimestamp());
            }

            var taken = _queue.DequeueAvailable(_taken);
            for (var i = 0; i < taken; i++)
            {
                Volatile.Write(ref DirtyFlags[_taken[i]], 0);
            }

            // A counting call adds to its count and then loads the flag; the drain resets the flag and then reads the
            // count. Take any count: if the drain's read missed it, the call's flag load comes after the reset, so it
            // finds 0 and queues the method again, or finds the 1 of a call that already did, and the drain that
            // takes that entry sees the count. That needs a full fence between each side's store and load: sampled
            // mode's interlocked increment is one, and this barrier the drain's. Exact mode's per-thread increment is
            // a plain store, so there the barrier must be process-wide (a fence per call would cost more than the rest
            // of the call); the thread list is read after it too, so that a thread that attached before it is included.
            if (_counting.ExactEverywhere)
            {
                Interlocked.MemoryBarrierProcessWide();
                CollectThreads(sweep, taken);
            }
            else
            {
                Interlocked.MemoryBarrier();
                return Finish(CollectSampled(sweep, taken));
            }

            return Finish(CollectSums(all: sweep, taken));
        }
    }

    internal void Release(ThreadCounters counters)
    {
        lock (_threadGate)
        {
            _free.Push(counters);
        }
    }

    private void CountOnThread(int index)
    {
        var counters = ReferenceEquals(t_lastModule, this) ? t_lastCounters! : AttachThread();
        counters.Counts[index]++;
        if (Volatile.Read(ref DirtyFlags[index]) == 0)
        {
            MarkDirty(index);
        }
    }

    private void CountExactly(int index)
    {
        var count = Interlocked.Increment(ref _exact[index]);
        if (Volatile.Read(ref DirtyFlags[index]) == 0)
        {
            MarkDirty(index);
        }

        if (count >= _counting.ExactBound && Interlocked.CompareExchange(ref _phase[index], Sampling, Counting) == Counting)
        {
            // Threads that still see the flag set count on exactly; the sampler finds the method through its slot.
            Volatile.Write(ref _samplingSince[index], Stopwatch.GetTimestamp());
            Volatile.Write(ref _armed[index], 0);
            var slot = Interlocked.Increment(ref _samplingCount) - 1;
            Volatile.Write(ref _sampling[slot], index + 1);
        }
    }

    // A plain increment on purpose: two threads racing here may lose a window call, which costs an estimate a little;
    // an interlocked one would make every window call dearer, and each window call's cost skews the rate it measures.
    private void CountInWindow(int index)
    {
        var hits = ++_windowHits[index];
        if (hits >= _counting.WindowBudget && Volatile.Read(ref _windowFullAt[index]) == 0)
        {
            Volatile.Write(ref _windowFullAt[index], Stopwatch.GetTimestamp());
            Volatile.Write(ref _armed[index], 0);
        }
    }

    private void CollectThreads(bool sweep, int taken)
    {
        var threads = Volatile.Read(ref _threads);
        var count = sweep ? MethodCount : taken;
        foreach (var thread in threads)
        {
            for (var i = 0; i < count; i++)
            {
                var index = sweep ? i : _taken[i];
                var current = Volatile.Read(ref thread.Counts[index]);
                _sums[index] += current - thread.Shadow[index];
                thread.Shadow[index] = current;
            }
        }
    }

    private List<HitCount> CollectSampled(bool sweep, int taken)
    {
        var hits = new List<HitCount>();
        var count = sweep ? MethodCount : taken;
        IReadOnlyList<string>? keys = null;
        for (var i = 0; i < count; i++)
        {
            var index = sweep ? i : _taken[i];
            var exact = Volatile.Read(ref _exact[index]);
            var counted = exact - _exactShadow[index];
            _exactShadow[index] = exact;
            var estimated = _estimated[index];
            var variance = _variance[index];
            _estimated[index] = 0;
            _variance[index] = 0;
            if (counted + estimated > 0)
            {
                keys ??= Keys;
                hits.Add(new HitCount(keys[index], HeatmapFileStore.AddCounts(counted, estimated), estimated, variance));
            }
        }

        return hits;
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
