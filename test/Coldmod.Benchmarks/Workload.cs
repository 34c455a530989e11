using BenchmarkDotNet.Attributes;

namespace Coldmod.Benchmarks;

/// <summary>
/// A realistic workload full of tiny hot methods: lexing, parsing and interpreting a generated corpus of
/// small programs (Target/Script: a lexer, a recursive-descent parser, a tree-walking interpreter with
/// virtual Evaluate/Execute overrides and a scope chain). Every method of the woven copy is probed.
/// Results are per pass over the whole corpus; the workload allocates (tokens, trees, scopes), and the
/// woven copy must allocate exactly as much.
/// </summary>
[MemoryDiagnoser]
// More iterations than the micro-benchmarks: each pass allocates ~40 MB, so GC pauses spread the samples.
[SimpleJob(warmupCount: 8, iterationCount: 30)]
public class Workload
{
    private const int Seed = 8;
    private const int Programs = 360;

    private string[] _corpus = [];
    private Func<string[], long> _unwoven = _ => 0;
    private Func<string[], long> _woven = _ => 0;

    [GlobalSetup]
    public void Setup()
    {
        _corpus = ScriptCorpus.Generate(Seed, Programs);
        var targets = BenchTargets.Instance;
        _unwoven = RunAll(targets.Unwoven);
        _woven = RunAll(targets.Woven);
        var expected = _unwoven(_corpus);
        var actual = _woven(_corpus);
        if (actual != expected)
        {
            throw new InvalidOperationException($"The woven interpreter's checksum {actual} differs from the unwoven one's {expected}.");
        }

        Console.WriteLine($"// corpus: {_corpus.Length} programs, {_corpus.Sum(p => p.Length) / 1024} KiB, checksum {expected}");
    }

    [Benchmark(Baseline = true)]
    public long Unwoven() => _unwoven(_corpus);

    [Benchmark]
    public long Woven() => _woven(_corpus);

    private static Func<string[], long> RunAll(System.Reflection.Assembly assembly) =>
        assembly.GetType("Bench.Script.ScriptRunner", throwOnError: true)!.GetMethod("RunAll")!.CreateDelegate<Func<string[], long>>();
}
