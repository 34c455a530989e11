using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;

namespace Coldmod.Benchmarks;

/// <summary>
/// First-call latency: a fresh load of both copies per iteration (see <see cref="FreshLoad"/>), then the
/// first call of one method, timed once: finding and binding the method, the JIT of it and its callees,
/// and, woven, the module initializer that registers the module and the probe class's constructor.
/// ColdStart strategy: no pilot and no warm-up, one invocation per iteration, since only the first call
/// of a fresh load is cold. The leaf is one loop over one method; the script is a first lex, parse and
/// run of a tiny program, which compiles a few dozen methods.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[SimpleJob(RunStrategy.ColdStart, launchCount: 1, iterationCount: 40)]
public class StartupFirstCall
{
    private static readonly string[] s_script = ["fn twice(a) { return a * 2; }\nlet x = 1;\nwhile (x < 5) { x = x + 1; }\nprint twice(x);\n"];
    private FreshLoad? _load;

    [GlobalSetup]
    public void Setup() => _ = BenchTargets.Instance;

    [IterationSetup]
    public void Load() => _load = new FreshLoad();

    [BenchmarkCategory("Leaf")]
    [Benchmark(Baseline = true)]
    public long UnwovenLeaf() => BenchTargets.StaticLoop(_load!.Unwoven, "Bench.Target", "LoopA")(1);

    [BenchmarkCategory("Leaf")]
    [Benchmark]
    public long WovenLeaf() => BenchTargets.StaticLoop(_load!.Woven, "Bench.Target", "LoopA")(1);

    [BenchmarkCategory("Script")]
    [Benchmark(Baseline = true)]
    public long UnwovenScript() => RunAll(_load!.Unwoven)(s_script);

    [BenchmarkCategory("Script")]
    [Benchmark]
    public long WovenScript() => RunAll(_load!.Woven)(s_script);

    private static Func<string[], long> RunAll(Assembly assembly) =>
        assembly.GetType("Bench.Script.ScriptRunner", throwOnError: true)!.GetMethod("RunAll")!.CreateDelegate<Func<string[], long>>();
}
