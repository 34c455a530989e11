using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text;
using Coldmod.Runtime;
using Coldmod.Runtime.Internal;
using Coldmod.TestSupport;
using Coldmod.Weaver.Weaving;

namespace Coldmod.Weaver.Tests.Weaving;

/// <summary>
/// A module of 600 one-line methods, woven, each with its own probe method and its own word (a static field of the probe
/// class): every method must address its own word and no other's, also after the GC has moved the statics of the
/// collectible load context the module is loaded in.
/// </summary>
public sealed class ProbeWordTests(ProbeWordTests.Module module) : IClassFixture<ProbeWordTests.Module>
{
    // What the JIT charges its caller's inlining budget grows with the probe's IL (InlineStrategy::EstimateInlineTime,
    // 2 units a byte), and every woven method inlined brings its probe along: a probe much larger than this makes big
    // methods run out of budget and leave the user's small methods un-inlined (docs/benchmarks/probe-workload-analysis.md).
    private const int MaxProbeILBytes = 42;

    [Fact]
    public void Each_method_counts_its_own_calls_exactly()
    {
        var counters = ColdmodModules.Find(module.Woven)!;
        counters.Drain();
        CallAll(1);

        Assert.Equal(Expected(1), Drained(counters));
    }

    [Fact]
    public void Counts_stay_exact_after_the_GC_moves_the_collectible_module_statics()
    {
        var counters = ColdmodModules.Find(module.Woven)!;
        counters.Drain();
        CallAll(1);
        for (var round = 0; round < 3; round++)
        {
            // Garbage to move past, then a compacting full collection: in a collectible load context a class's statics
            // live in the GC heap, so a runtime that kept their address would now count into freed memory.
            var garbage = new object[10_000];
            for (var i = 0; i < garbage.Length; i++)
            {
                garbage[i] = new byte[64];
            }

            GC.KeepAlive(garbage);
            garbage = null;
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            CallAll(1);
        }

        Assert.Equal(Expected(4), Drained(counters));
    }

    [Fact]
    public void Every_method_starts_with_a_call_to_its_own_probe_and_every_probe_stays_within_its_IL_size()
    {
        using var stream = File.OpenRead(module.WovenPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var probes = reader.TypeDefinitions.Select(reader.GetTypeDefinition).Single(t => reader.GetString(t.Name) == WovenNames.ProbesType);
        var hits = probes.GetMethods()
            .Select(h => (Handle: h, Method: reader.GetMethodDefinition(h)))
            .Where(m => reader.GetString(m.Method.Name).StartsWith(WovenNames.HitMethod, StringComparison.Ordinal))
            .ToDictionary(
                m => System.Reflection.Metadata.Ecma335.MetadataTokens.GetToken(m.Handle),
                m => (Name: reader.GetString(m.Method.Name), Size: pe.GetMethodBody(m.Method.RelativeVirtualAddress).GetILBytes()!.Length));

        Assert.Equal(Module.Methods, hits.Count);
        Assert.All(hits.Values, h => Assert.True(h.Size <= MaxProbeILBytes, $"{h.Name} has {h.Size} bytes of IL; at most {MaxProbeILBytes} are expected."));
        var many = reader.TypeDefinitions.Select(reader.GetTypeDefinition).Single(t => reader.GetString(t.Name) == "Many");
        var called = many.GetMethods().Select(reader.GetMethodDefinition).ToDictionary(
            m => reader.GetString(m.Name),
            m =>
            {
                var il = pe.GetMethodBody(m.RelativeVirtualAddress).GetILBytes()!;
                Assert.Equal(0x28, il[0]); // call
                return hits[BitConverter.ToInt32(il, 1)].Name;
            });
        Assert.Equal(Enumerable.Range(0, Module.Methods).ToDictionary(i => $"M{i:D3}", i => $"{WovenNames.HitMethod}{i}"), called);
    }

    private static Dictionary<string, long> Expected(int rounds) =>
        Enumerable.Range(0, Module.Methods).Where(i => Calls(i) > 0).ToDictionary(Module.Key, i => (long)Calls(i) * rounds);

    private static Dictionary<string, long> Drained(ModuleCounters counters) =>
        counters.Drain().GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.Sum(h => h.Count));

    private void CallAll(int rounds)
    {
        for (var i = 0; i < Module.Methods; i++)
        {
            var method = module.Method(i);
            for (var call = 0; call < Calls(i) * rounds; call++)
            {
                Assert.Equal(i, method());
            }
        }
    }

    // Some methods are never called, among them the first and the last, so a probe that hit its neighbour's word would
    // show up as a called method that never ran.
    private static int Calls(int index) => index % 5 == 0 || index == Module.Methods - 1 ? 0 : (index % 3) + 1;

    public class Module : IDisposable
    {
        public const int Methods = 600;

        private readonly TempDirectory _temp = new("coldmod-probe-words");
        private readonly AssemblyLoadContext _context = new("probe-words", isCollectible: true);

        public Module()
            : this("Woven.ProbeWords", CountingSettings.Exact)
        {
        }

        private protected Module(string assemblyName, CountingSettings counting)
        {
            var root = _temp.Combine("root");
            Directory.CreateDirectory(root);
            File.WriteAllText(Path.Combine(root, RootMarker.FileName), "");
            var source = _temp.Write("root/src/Many.cs", Source());
            var compiled = TestCompilation.Compile(assemblyName, [new SourceInput(source)], Path.Combine(root, "bin"), optimize: true);
            WovenPath = compiled.AssemblyPath;
            var result = AssemblyWeaver.Weave(new WeaveOptions(WovenPath, RootMarker.Load(Path.Combine(root, RootMarker.FileName)), WovenCorpusFixture.RuntimeAssemblyPath));
            Assert.Equal(WeaveOutcome.Woven, result.Outcome);
            Assert.Equal(Enumerable.Range(0, Methods).Select(Key), result.Srcs.Select(s => s.Key));

            Woven = _context.LoadFromAssemblyPath(WovenPath);
            CountingSettings.ForThisThread = counting;
            try
            {
                RuntimeHelpers.RunModuleConstructor(Woven.ManifestModule.ModuleHandle);
            }
            finally
            {
                CountingSettings.ForThisThread = null;
            }
        }

        public string WovenPath { get; }

        public Assembly Woven { get; }

        public static string Key(int index) => $"Blocks.Many.M{index:D3}";

        public Func<int> Method(int index) =>
            Woven.GetType("Blocks.Many", throwOnError: true)!.GetMethod($"M{index:D3}")!.CreateDelegate<Func<int>>();

        public void Dispose()
        {
            _context.Unload();
            _temp.Dispose();
            GC.SuppressFinalize(this);
        }

        // One method a line, so that srcs (numbered by file, then line) come in the order of their names.
        private static string Source()
        {
            var text = new StringBuilder("namespace Blocks;\n\npublic static class Many\n{\n");
            for (var i = 0; i < Methods; i++)
            {
                text.Append($"    public static int M{i:D3}() => {i};\n");
            }

            return text.Append("}\n").ToString();
        }
    }
}
