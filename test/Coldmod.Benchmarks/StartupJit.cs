using System.Runtime.CompilerServices;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Engines;

namespace Coldmod.Benchmarks;

/// <summary>
/// The JIT time of the whole assembly: <see cref="RuntimeHelpers.PrepareMethod(RuntimeMethodHandle)"/> over
/// every non-generic method of a fresh load (the woven copy has the same methods, each with a probe, plus
/// its probe class). Found in the iteration's set-up, so only compiling is timed. With tiered compilation
/// on (the default) this is the Tier-0 code a start-up compiles, where nothing is inlined. ColdStart, as for <see cref="StartupFirstCall"/>.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(RunStrategy.ColdStart, launchCount: 1, iterationCount: 30)]
public class StartupJit
{
    private FreshLoad? _load;
    private RuntimeMethodHandle[] _unwoven = [];
    private RuntimeMethodHandle[] _woven = [];

    [GlobalSetup]
    public void Setup()
    {
        var load = new FreshLoad();
        Console.WriteLine($"// methods compiled: unwoven {FreshLoad.CompilableMethods(load.Unwoven).Length}, woven {FreshLoad.CompilableMethods(load.Woven).Length}");
    }

    [IterationSetup]
    public void Load()
    {
        _load = new FreshLoad();
        _unwoven = FreshLoad.CompilableMethods(_load.Unwoven);
        _woven = FreshLoad.CompilableMethods(_load.Woven);
    }

    [Benchmark(Baseline = true)]
    public int Unwoven() => Prepare(_unwoven);

    [Benchmark]
    public int Woven() => Prepare(_woven);

    private static int Prepare(RuntimeMethodHandle[] methods)
    {
        foreach (var method in methods)
        {
            RuntimeHelpers.PrepareMethod(method);
        }

        return methods.Length;
    }
}
