using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Runtime.CompilerServices;
using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime;

/// <summary>
/// The call counters of one woven module. Woven code calls this type; applications do not.
/// </summary>
/// <remarks>
/// Every method has one 64-bit word: the number of calls it may still count. The words are the woven module's own
/// static fields, one per method. A woven method starts with the probe <c>if (word &gt; 0) word = word - 1</c>
/// (an interlocked decrement in exact mode), inlined: no call, so the probe costs its caller no registers, and a
/// getter stays inlinable. The calls counted are the words given out less what is left of them, so reading them never
/// stops a probe. Two threads racing on a plain decrement can lose one of them: the method's count is then low by
/// that call, and its exact phase lasts a call longer; a method that ran still always has its word below its budget.
/// By default each method is given <c>ExactBound</c> calls at start: its first calls are counted one by one, so a
/// method that ran is never cold, and then its probe goes quiet by itself (one compare and one predicted branch). The
/// sampler gives a quiet method a small budget again for short windows and estimates the rest of its calls from them.
/// In exact mode a method is given more calls than a process can make, and every call is counted.
/// </remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed unsafe class ModuleCounters
{
    /// <summary>
    /// What the weaver's probes expect: one 64-bit count of calls left per method, in the module's static fields, given
    /// to <see cref="ColdmodModules.Register(Assembly, int, ProbeWords, ProbeWords)"/> and decremented by the probe while positive.
    /// A weaver refuses a runtime with another format.
    /// </summary>
    public const int ProbeFormat = 3;

    // Sampling windows come in lengths; a method whose window filled its budget moves to a shorter one, a method that
    // used little of its budget to a longer one, so that a window measures its rate without filling, or paying for
    // more than its budget of counted calls.
    internal static readonly TimeSpan[] WindowLengths =
    [
        TimeSpan.FromMilliseconds(5),
        TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond / 2),
        TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond / 20),
        TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond / 200),
    ];

    // The shortest windows may count more calls: only the hottest methods reach them, and their calls are cheap.
    private static readonly int[] s_budgetScale = [1, 1, 1, 64];

    private const long ExactModeBudget = long.MaxValue / 4;

    private readonly CountingSettings _counting;
    private readonly ModuleSrcs _srcs;
    private readonly long _initialBudget;

    // Native memory (see WordMemory) for modules with no woven assembly (tests, calibration) and for assemblies woven
    // before probe format 3. Never freed: the registry keeps every module for the life of the process.
    private readonly long* _armed;

    // The first word: the woven module's own static field, or the native memory above. In a collectible load context
    // the GC moves a class's statics, so no address of them is kept, and each access pins them while it runs.
    private readonly ProbeWords _words;

    private readonly object _gate = new();

    // Calls counted one by one and already reported, per method.
    private readonly long[] _reported;

    // Sampled mode, one slot per method.
    private readonly bool[] _sampling;
    private readonly long[] _countedBeforeSampling;
    private readonly long[] _lastSeenArmedAt;
    private readonly long[] _lastSeenLeft;
    private readonly long[] _quietSeenAt;
    private readonly long[] _estimatedUpTo;
    private readonly byte[] _lengthClass;
    private readonly long[] _windowBudget;
    private readonly long[] _estimated;
    private readonly double[] _variance;
    private readonly int[] _classMembers;
    private readonly long[] _windowOpenedAt;
    private int _samplingCount;

    // Not armed: every word starts at 0, so the probes never count (where tracing is off, e.g. on .NET Framework).
    internal ModuleCounters(string name, int methodCount, ModuleSrcs srcs, CountingSettings counting, bool armed = true, ProbeWords? words = null)
    {
        Name = name;
        MethodCount = Math.Max(methodCount, 0);
        _srcs = srcs;
        _counting = counting;
        _initialBudget = !armed ? 0 : counting.ExactEverywhere ? ExactModeBudget : Math.Max(counting.ExactBound, 1);
        _reported = new long[MethodCount];

        if (words is null)
        {
            _armed = WordMemory.Allocate(MethodCount);
            words = FirstNativeWord;
        }

        _words = words;
        fixed (long* first = &words())
        {
            for (var i = 0; i < MethodCount; i++)
            {
                first[i] = _initialBudget;
            }
        }

        var sampled = counting.ExactEverywhere ? 0 : MethodCount;
        var registeredAt = Stopwatch.GetTimestamp();
        _sampling = new bool[sampled];
        _countedBeforeSampling = new long[sampled];
        _lastSeenArmedAt = new long[sampled];
        _lastSeenLeft = new long[sampled];
        _quietSeenAt = new long[sampled];
        _estimatedUpTo = new long[sampled];
        _lengthClass = new byte[sampled];
        _windowBudget = new long[sampled];
        _estimated = new long[sampled];
        _variance = new double[sampled];
        _classMembers = new int[WindowLengths.Length];
        _windowOpenedAt = new long[WindowLengths.Length];
        for (var i = 0; i < sampled; i++)
        {
            _lastSeenArmedAt[i] = registeredAt;
            _lastSeenLeft[i] = _initialBudget;
        }
    }

    /// <summary>
    /// The address of one <see cref="long"/> per method: the calls it may still count, for assemblies woven before
    /// probe format 3. A probe decrements its word while it is positive; only this type sets it. 0 for a module whose
    /// words are its own static fields.
    /// </summary>
    public nint ArmedFlags => (nint)_armed;

    /// <summary>
    /// Whether every call is counted (exact mode): the probes then decrement their words with an interlocked operation,
    /// so that calls racing on other threads are not lost.
    /// </summary>
    public bool CountsEveryCall => _counting.ExactEverywhere;

    internal string Name { get; }

    internal int MethodCount { get; }

    internal bool CountsExactly => _counting.ExactEverywhere;

    internal bool SrcsLoaded => _srcs.IsLoaded;

    internal IReadOnlyList<string> Keys => _srcs.Keys;

    internal SrcsTable? Srcs => _srcs.Table;

    internal bool IsFrom(Assembly assembly) => _srcs.Holds(assembly);

    // Lets a test call probes at the end of a drain, after the counts are read and before the lock is released.
    internal Action? CountsReadHook { get; set; }

    // The methods that left counting one by one, as far as the last drain or sampler pass has seen.
    internal int SamplingCount => Volatile.Read(ref _samplingCount);

    internal bool IsArmed(int index) => ReadWord(index) > 0;

    // The window length class a sampled method is in (0 is the longest).
    internal int LengthClass(int index) => _lengthClass[index];

    /// <summary>What a woven probe does for the method <paramref name="index"/>; for code that has no probe of its own.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void Hit(int index)
    {
        if ((uint)index < (uint)MethodCount && ReadWord(index) > 0)
        {
            DecrementWord(index);
        }
    }

    // Gives every sampled method of the length class (all of them for -1) its budget for a window. Called by the
    // sampler; `now` is a Stopwatch timestamp.
    internal void OpenWindow(long now, int lengthClass = -1)
    {
        lock (_gate)
        {
            if (_counting.ExactEverywhere || _counting.WindowBudget <= 0)
            {
                return;
            }

            NoticeQuietMethods(now);
            for (var index = 0; index < _sampling.Length; index++)
            {
                if (!_sampling[index] || _windowBudget[index] > 0 || (lengthClass >= 0 && _lengthClass[index] != lengthClass))
                {
                    continue;
                }

                var budget = (long)_counting.WindowBudget * s_budgetScale[_lengthClass[index]];
                _windowBudget[index] = budget;
                FoldStragglers(index, ExchangeWord(index, budget));
            }

            for (var c = 0; c < WindowLengths.Length; c++)
            {
                if (lengthClass < 0 || lengthClass == c)
                {
                    _windowOpenedAt[c] = now;
                }
            }
        }
    }

    // Takes the budget back from the methods of the length class (all for -1) and turns each window's calls into an
    // estimate for the time it stands for: from where the method's estimate stopped up to now.
    internal void CloseWindow(long now, int lengthClass = -1)
    {
        lock (_gate)
        {
            for (var index = 0; index < _sampling.Length; index++)
            {
                var budget = _windowBudget[index];
                var c = _lengthClass[index];
                if (budget <= 0 || (lengthClass >= 0 && c != lengthClass))
                {
                    continue;
                }

                _windowBudget[index] = 0;
                var left = ExchangeWord(index, 0);
                Estimate(index, budget - left, now - _windowOpenedAt[c], now);
                Adapt(index, budget, left);
            }
        }
    }

    // How many sampled methods are in each length class, so the sampler skips the empty ones.
    internal int ClassMembers(int lengthClass)
    {
        lock (_gate)
        {
            return _classMembers[lengthClass];
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
        module.OpenWindow(Stopwatch.GetTimestamp());
        module.EnsureSampling();
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
        if (module._armed[0] > 0)
        {
            module._armed[0]--;
        }
    }

    private ref long FirstNativeWord() => ref *_armed;

    private long ReadWord(int index)
    {
        fixed (long* words = &_words())
        {
            return Volatile.Read(ref words[index]);
        }
    }

    private long ExchangeWord(int index, long value)
    {
        fixed (long* words = &_words())
        {
            return Interlocked.Exchange(ref words[index], value);
        }
    }

    private void DecrementWord(int index)
    {
        fixed (long* words = &_words())
        {
            Interlocked.Decrement(ref words[index]);
        }
    }

    private void EnsureSampling()
    {
        if (SamplingCount != 1 || !IsArmed(0))
        {
            throw new InvalidOperationException("the calibration module did not open a window");
        }
    }

    // Calls since the previous drain, for every method called since then. With sweep (the last drain before exit),
    // the windows still open are closed first, so their calls are in it too.
    internal IReadOnlyList<HitCount> Drain(bool sweep = false)
    {
        lock (_gate)
        {
            var now = Stopwatch.GetTimestamp();
            if (sweep)
            {
                CloseWindow(now);
            }

            NoticeQuietMethods(now);
            List<HitCount>? hits = null;
            IReadOnlyList<string>? keys = null;
            for (var index = 0; index < MethodCount; index++)
            {
                var sampling = !_counting.ExactEverywhere && _sampling[index];
                if (sweep && sampling)
                {
                    // Every window is closed above, so the word is at most 0 and only stragglers can have moved it.
                    FoldStragglers(index, ExchangeWord(index, 0));
                }

                var counted = sampling ? _countedBeforeSampling[index] : _initialBudget - ReadWord(index);
                // A plain decrement that read its word before other threads' decrements and wrote after them can put the
                // word back up by a few calls; those calls were reported already, so the count never goes back.
                var fresh = Math.Max(counted - _reported[index], 0);
                _reported[index] = Math.Max(counted, _reported[index]);
                long estimated = 0;
                double variance = 0;
                if (!_counting.ExactEverywhere)
                {
                    estimated = _estimated[index];
                    variance = _variance[index];
                    _estimated[index] = 0;
                    _variance[index] = 0;
                }

                if (fresh + estimated > 0)
                {
                    hits ??= [];
                    keys ??= Keys;
                    hits.Add(new HitCount(keys[index], HeatmapFileStore.AddCounts(fresh, estimated), estimated, variance));
                }
            }

            CountsReadHook?.Invoke();
            return hits is null ? [] : hits;
        }
    }

    // A method counted one by one goes quiet when its budget runs out, without telling anyone; each drain and window
    // finds the ones that did. The time it went quiet is known only to lie between the last pass that saw it armed
    // and this one: its first window's rate places it there (see Estimate).
    private void NoticeQuietMethods(long now)
    {
        if (_counting.ExactEverywhere)
        {
            return;
        }

        for (var index = 0; index < _sampling.Length; index++)
        {
            if (_sampling[index])
            {
                continue;
            }

            var left = ReadWord(index);
            if (left > 0)
            {
                _lastSeenArmedAt[index] = now;
                _lastSeenLeft[index] = left;
                continue;
            }

            // Calls that passed the compare as the budget ran out took it below 0: they were counted too.
            left = ExchangeWord(index, 0);
            _countedBeforeSampling[index] = _initialBudget - left;
            _quietSeenAt[index] = now;
            _estimatedUpTo[index] = 0;
            _lengthClass[index] = 0;
            _classMembers[0]++;
            _sampling[index] = true;
            _samplingCount++;
        }
    }

    // Calls that passed the compare just before a window closed, or just before the method went quiet.
    private void FoldStragglers(int index, long left)
    {
        if (left < 0)
        {
            _countedBeforeSampling[index] -= left;
        }
    }

    private void Estimate(int index, long hits, long windowTicks, long now)
    {
        var since = _estimatedUpTo[index];
        if (since == 0)
        {
            // The first window after the method went quiet: at the rate it measures, the calls the method still had
            // when last seen armed ran out this long after that.
            var seenArmed = _lastSeenArmedAt[index];
            since = hits > 0
                ? Math.Min(Math.Max(seenArmed + (long)(_lastSeenLeft[index] * CallingTime(windowTicks, hits) / hits), seenArmed), _quietSeenAt[index])
                : now;
        }

        _estimatedUpTo[index] = now;
        if (hits <= 0 || since >= now)
        {
            return;
        }

        var estimate = hits * (double)(now - since) / CallingTime(windowTicks, hits);
        _estimated[index] = HeatmapFileStore.AddCounts(_estimated[index], (long)Math.Min(Math.Round(estimate), long.MaxValue / 2));
        _variance[index] += estimate * estimate / hits;
    }

    private void Adapt(int index, long budget, long left)
    {
        var c = _lengthClass[index];
        var next = c;
        if (left <= 0 && c < WindowLengths.Length - 1)
        {
            next = (byte)(c + 1);
        }
        else if ((budget - left) * 8 < budget && c > 0)
        {
            next = (byte)(c - 1);
        }

        if (next != c)
        {
            _classMembers[c]--;
            _classMembers[next]++;
            _lengthClass[index] = next;
        }
    }
}
