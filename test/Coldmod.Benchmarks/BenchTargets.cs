using System.Reflection;
using Coldmod.Runtime;
using Coldmod.TestSupport;
using Coldmod.Weaver;
using Coldmod.Weaver.Weaving;

namespace Coldmod.Benchmarks;

/// <summary>The same small target compiled twice in Release, one copy woven, both loaded side by side.</summary>
internal sealed class BenchTargets
{
    private static readonly Lazy<BenchTargets> s_instance = new(Build);

    private BenchTargets(Func<int, long> unwovenA, Func<int, long> unwovenB, Func<int, long> wovenA, Func<int, long> wovenB, Func<int, long> sharedCounter)
    {
        SharedCounter = sharedCounter;
        UnwovenA = unwovenA;
        UnwovenB = unwovenB;
        WovenA = wovenA;
        WovenB = wovenB;
    }

    public static BenchTargets Instance => s_instance.Value;

    public Func<int, long> UnwovenA { get; }

    public Func<int, long> UnwovenB { get; }

    public Func<int, long> WovenA { get; }

    public Func<int, long> WovenB { get; }

    /// <summary>The unwoven loop over a method that counts itself with Interlocked on one shared counter (the candidate design not taken).</summary>
    public Func<int, long> SharedCounter { get; }

    private static BenchTargets Build()
    {
        var root = Path.Combine(Path.GetTempPath(), $"coldmod-bench-{Environment.ProcessId}");
        Directory.CreateDirectory(root);
        File.WriteAllText(Path.Combine(root, RootMarker.FileName), "");
        var source = Path.Combine(root, "Target.cs");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "Target", "Target.cs"), source, overwrite: true);

        var unwoven = TestCompilation.Compile("Bench.Unwoven", [new SourceInput(source)], Path.Combine(root, "unwoven"), optimize: true);
        var woven = TestCompilation.Compile("Bench.Woven", [new SourceInput(source)], Path.Combine(root, "woven"), optimize: true);
        var result = AssemblyWeaver.Weave(new WeaveOptions(woven.AssemblyPath, RootMarker.Load(Path.Combine(root, RootMarker.FileName)), typeof(ColdmodModules).Assembly.Location));
        if (result.Outcome != WeaveOutcome.Woven)
        {
            throw new InvalidOperationException($"The benchmark target was not woven: {result.Outcome}.");
        }

        var unwovenAssembly = Assembly.LoadFrom(unwoven.AssemblyPath);
        var wovenAssembly = Assembly.LoadFrom(woven.AssemblyPath);
        return new BenchTargets(Loop(unwovenAssembly, "LoopA"), Loop(unwovenAssembly, "LoopB"), Loop(wovenAssembly, "LoopA"), Loop(wovenAssembly, "LoopB"), Loop(unwovenAssembly, "LoopShared"));
    }

    private static Func<int, long> Loop(Assembly assembly, string name) =>
        assembly.GetType("Bench.Target", throwOnError: true)!.GetMethod(name)!.CreateDelegate<Func<int, long>>();
}
