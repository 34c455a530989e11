using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace Coldmod.Benchmarks;

/// <summary>
/// A tiny property getter (<c>ldarg.0; ldfld; ret</c>) called in a loop by a caller in the same assembly,
/// so the JIT can inline it, unwoven and woven. Two getters: one whose probe index is below 128 and one
/// above 256, since a probe may take another IL form for large indices. Results are per getter call.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 5, iterationCount: 20)]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class InlinedGetter
{
    private const int Calls = 1_000_000;

    // A power of two (the loop masks its index) and small enough to stay in L1.
    private const int Boxes = 1024;

    private Func<int, long> _unwovenLow = _ => 0;
    private Func<int, long> _wovenLow = _ => 0;
    private Func<int, long> _unwovenHigh = _ => 0;
    private Func<int, long> _wovenHigh = _ => 0;

    [GlobalSetup]
    public void Setup()
    {
        var targets = BenchTargets.Instance;
        _unwovenLow = BenchTargets.InstanceLoop(targets.Unwoven, "Bench.Inlining.LowGetterLoop", Boxes);
        _wovenLow = BenchTargets.InstanceLoop(targets.Woven, "Bench.Inlining.LowGetterLoop", Boxes);
        _unwovenHigh = BenchTargets.InstanceLoop(targets.Unwoven, "Bench.Inlining.HighGetterLoop", Boxes);
        _wovenHigh = BenchTargets.InstanceLoop(targets.Woven, "Bench.Inlining.HighGetterLoop", Boxes);
        Console.WriteLine($"// probe indices: low getter {targets.ProbeIndex(BenchTargets.LowGetterKey)}, high getter {targets.ProbeIndex(BenchTargets.HighGetterKey)}, of {targets.Srcs.Count} srcs");
        var expected = _unwovenLow(Calls);
        foreach (var loop in new[] { _wovenLow, _unwovenHigh, _wovenHigh })
        {
            if (loop(Calls) != expected)
            {
                throw new InvalidOperationException("The woven getter loops do not compute what the unwoven ones do.");
            }
        }
    }

    [BenchmarkCategory("IndexBelow128")]
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public long UnwovenLow() => _unwovenLow(Calls);

    [BenchmarkCategory("IndexBelow128")]
    [Benchmark(OperationsPerInvoke = Calls)]
    public long WovenLow() => _wovenLow(Calls);

    [BenchmarkCategory("IndexAbove256")]
    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public long UnwovenHigh() => _unwovenHigh(Calls);

    [BenchmarkCategory("IndexAbove256")]
    [Benchmark(OperationsPerInvoke = Calls)]
    public long WovenHigh() => _wovenHigh(Calls);
}
