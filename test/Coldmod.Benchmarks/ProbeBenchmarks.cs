using BenchmarkDotNet.Attributes;

namespace Coldmod.Benchmarks;

/// <summary>
/// The cost a probe adds to a call: a loop calling a small non-inlined method, unwoven (the baseline)
/// and woven, measured in the same run. Results are per call of the small method, per thread.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 5, iterationCount: 20)]
public class OneThread
{
    private const int Calls = 1_000_000;

    [GlobalSetup]
    public void Setup() => _ = BenchTargets.Instance;

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public long Unwoven() => BenchTargets.Instance.UnwovenA(Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public long Woven() => BenchTargets.Instance.WovenA(Calls);

    [Benchmark(OperationsPerInvoke = Calls)]
    public long InterlockedSharedCounter() => BenchTargets.Instance.SharedCounter(Calls);
}

/// <summary>
/// Two threads calling at once: both the same method, or each its own. A second thread waits on a
/// signal and runs its loop while the benchmark thread runs the other; the signalling costs a few
/// microseconds per million calls.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 5, iterationCount: 20)]
public class TwoThreads
{
    private const int Calls = 1_000_000;
    private readonly SemaphoreSlim _start = new(0);
    private readonly SemaphoreSlim _done = new(0);
    private Thread? _worker;
    private volatile Func<int, long>? _work;
    private volatile bool _stopping;

    [GlobalSetup]
    public void Setup()
    {
        _ = BenchTargets.Instance;
        _worker = new Thread(Work) { IsBackground = true, Name = "second caller" };
        _worker.Start();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _stopping = true;
        _start.Release();
        _worker?.Join();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls)]
    public long UnwovenSameMethod() => Together(BenchTargets.Instance.UnwovenA, BenchTargets.Instance.UnwovenA);

    [Benchmark(OperationsPerInvoke = Calls)]
    public long WovenSameMethod() => Together(BenchTargets.Instance.WovenA, BenchTargets.Instance.WovenA);

    [Benchmark(OperationsPerInvoke = Calls)]
    public long InterlockedSharedCounterSameMethod() => Together(BenchTargets.Instance.SharedCounter, BenchTargets.Instance.SharedCounter);

    [Benchmark(OperationsPerInvoke = Calls)]
    public long UnwovenDifferentMethods() => Together(BenchTargets.Instance.UnwovenA, BenchTargets.Instance.UnwovenB);

    [Benchmark(OperationsPerInvoke = Calls)]
    public long WovenDifferentMethods() => Together(BenchTargets.Instance.WovenA, BenchTargets.Instance.WovenB);

    private long Together(Func<int, long> mine, Func<int, long> theirs)
    {
        _work = theirs;
        _start.Release();
        var result = mine(Calls);
        _done.Wait();
        return result;
    }

    private void Work()
    {
        while (true)
        {
            _start.Wait();
            if (_stopping)
            {
                return;
            }

            _work!(Calls);
            _done.Release();
        }
    }
}
