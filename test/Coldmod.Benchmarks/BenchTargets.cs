using System.Reflection;
using System.Text;
using Coldmod.Runtime;
using Coldmod.TestSupport;
using Coldmod.Weaver;
using Coldmod.Weaver.Weaving;

namespace Coldmod.Benchmarks;

/// <summary>
/// The benchmark target (every file under Target/, plus generated filler methods) compiled twice in
/// Release under a temporary rootmarker, one copy woven by the real weaver, both loaded side by side.
/// </summary>
internal sealed class BenchTargets
{
    public const string LowGetterKey = "Bench.Inlining.LowIndexBox.get_Value";
    public const string HighGetterKey = "Bench.Inlining.HighIndexBox.get_Value";

    // More srcs than a one-byte index holds, so that a probe whose IL differs below and above 128 (or 256)
    // is measured in both forms: the high getter's file sorts after the filler.
    private const int FillerMethods = 320;

    private static readonly Lazy<BenchTargets> s_instance = new(Build);

    private BenchTargets(string unwovenPath, string wovenPath, IReadOnlyList<TraceSrc> srcs)
    {
        UnwovenPath = unwovenPath;
        WovenPath = wovenPath;
        Srcs = srcs;
        Unwoven = Assembly.LoadFrom(unwovenPath);
        Woven = Assembly.LoadFrom(wovenPath);
        UnwovenA = StaticLoop(Unwoven, "Bench.Target", "LoopA");
        UnwovenB = StaticLoop(Unwoven, "Bench.Target", "LoopB");
        WovenA = StaticLoop(Woven, "Bench.Target", "LoopA");
        WovenB = StaticLoop(Woven, "Bench.Target", "LoopB");
        SharedCounter = StaticLoop(Unwoven, "Bench.Target", "LoopShared");
    }

    public static BenchTargets Instance => s_instance.Value;

    public string UnwovenPath { get; }

    public string WovenPath { get; }

    /// <summary>The woven copy's srcs, in probe-index order.</summary>
    public IReadOnlyList<TraceSrc> Srcs { get; }

    public Assembly Unwoven { get; }

    public Assembly Woven { get; }

    public Func<int, long> UnwovenA { get; }

    public Func<int, long> UnwovenB { get; }

    public Func<int, long> WovenA { get; }

    public Func<int, long> WovenB { get; }

    /// <summary>The unwoven loop over a method that counts itself with Interlocked on one shared counter (the candidate design not taken).</summary>
    public Func<int, long> SharedCounter { get; }

    public static Func<int, long> StaticLoop(Assembly assembly, string type, string method) =>
        assembly.GetType(type, throwOnError: true)!.GetMethod(method)!.CreateDelegate<Func<int, long>>();

    /// <summary>Creates <paramref name="type"/> with its one <c>int</c> constructor argument and binds its <c>Run(int)</c>.</summary>
    public static Func<int, long> InstanceLoop(Assembly assembly, string type, int argument)
    {
        var instance = Activator.CreateInstance(assembly.GetType(type, throwOnError: true)!, argument)!;
        return instance.GetType().GetMethod("Run")!.CreateDelegate<Func<int, long>>(instance);
    }

    public int ProbeIndex(string key)
    {
        for (var i = 0; i < Srcs.Count; i++)
        {
            if (Srcs[i].Key == key)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"The woven benchmark target has no src '{key}'.");
    }

    private static BenchTargets Build()
    {
        var root = Path.Combine(Path.GetTempPath(), $"coldmod-bench-{Environment.ProcessId}");
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, RootMarker.FileName), "");
        var sourceDirectory = Path.Combine(root, "src");
        var shipped = Path.Combine(AppContext.BaseDirectory, "Target");
        var sources = new List<SourceInput>();
        foreach (var file in Directory.EnumerateFiles(shipped, "*.cs", SearchOption.AllDirectories))
        {
            var copy = Path.Combine(sourceDirectory, Path.GetRelativePath(shipped, file));
            Directory.CreateDirectory(Path.GetDirectoryName(copy)!);
            File.Copy(file, copy);
            sources.Add(new SourceInput(copy));
        }

        var filler = Path.Combine(sourceDirectory, "Inlining", "B.Filler.g.cs");
        File.WriteAllText(filler, FillerSource());
        sources.Add(new SourceInput(filler));

        var unwoven = TestCompilation.Compile("Bench.Unwoven", sources, Path.Combine(root, "unwoven"), optimize: true);
        var woven = TestCompilation.Compile("Bench.Woven", sources, Path.Combine(root, "woven"), optimize: true);
        var result = AssemblyWeaver.Weave(new WeaveOptions(woven.AssemblyPath, RootMarker.Load(Path.Combine(root, RootMarker.FileName)), typeof(ColdmodModules).Assembly.Location));
        if (result.Outcome != WeaveOutcome.Woven)
        {
            throw new InvalidOperationException($"The benchmark target was not woven: {result.Outcome}.");
        }

        var targets = new BenchTargets(unwoven.AssemblyPath, woven.AssemblyPath, result.Srcs);
        if (targets.Woven.GetType(WovenNames.ProbesType, throwOnError: false) is null)
        {
            throw new InvalidOperationException($"The woven benchmark target has no {WovenNames.ProbesType} type.");
        }

        var low = targets.ProbeIndex(LowGetterKey);
        var high = targets.ProbeIndex(HighGetterKey);
        if (low >= 128 || high <= 256)
        {
            throw new InvalidOperationException(
                $"The getters' probe indices are {low} and {high} of {result.Srcs.Count}; the benchmark needs one below 128 and one above 256 (srcs are numbered by file path, then line).");
        }

        return targets;
    }

    private static string FillerSource()
    {
        var text = new StringBuilder("namespace Bench.Inlining;\n\n// Never called: srcs that push the high getter's probe index up.\npublic static class Filler\n{\n");
        for (var i = 0; i < FillerMethods; i++)
        {
            text.Append($"    public static int F{i:D3}(int x) => x + {i};\n\n");
        }

        return text.Append("}\n").ToString();
    }
}
