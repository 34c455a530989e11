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
/// A module of 600 one-line methods, woven: three probe blocks (0–255, 256–511, 512–599), so that every offset of a
/// block, negative and positive, and the block boundaries address their own method's word and no other's.
/// </summary>
public sealed class ProbeBlockTests(ProbeBlockTests.Module module) : IClassFixture<ProbeBlockTests.Module>
{
    // What the JIT charges its caller's inlining budget grows with the probe's IL (InlineStrategy::EstimateInlineTime,
    // 2 units a byte), and every woven method inlined brings its probe along: the 44-byte probe this replaced made big
    // methods run out of budget and leave the user's small methods un-inlined (docs/benchmarks/probe-workload-analysis.md).
    private const int MaxProbeILBytes = 30;

    [Fact]
    public void Each_method_of_every_block_counts_its_own_calls_exactly()
    {
        var counters = ColdmodModules.Find(module.Woven)!;
        counters.Drain();
        for (var i = 0; i < Module.Methods; i++)
        {
            var method = module.Method(i);
            for (var call = 0; call < Calls(i); call++)
            {
                Assert.Equal(i, method());
            }
        }

        var counts = counters.Drain().GroupBy(h => h.Key).ToDictionary(g => g.Key, g => g.Sum(h => h.Count));

        var expected = Enumerable.Range(0, Module.Methods).Where(i => Calls(i) > 0).ToDictionary(Module.Key, i => (long)Calls(i));
        Assert.Equal(expected.OrderBy(p => p.Key), counts.OrderBy(p => p.Key));
    }

    [Fact]
    public void Every_probe_method_stays_within_its_IL_size()
    {
        using var stream = File.OpenRead(module.WovenPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var probes = reader.TypeDefinitions.Select(reader.GetTypeDefinition).Single(t => reader.GetString(t.Name) == WovenNames.ProbesType);
        var sizes = probes.GetMethods()
            .Select(reader.GetMethodDefinition)
            .Where(m => reader.GetString(m.Name).StartsWith(WovenNames.HitMethod, StringComparison.Ordinal))
            .Select(m => (Name: reader.GetString(m.Name), Size: pe.GetMethodBody(m.RelativeVirtualAddress).GetILBytes()!.Length))
            .ToList();

        Assert.Equal(["Hit0", "Hit1", "Hit2"], sizes.Select(s => s.Name));
        Assert.All(sizes, s => Assert.True(s.Size <= MaxProbeILBytes, $"{s.Name} has {s.Size} bytes of IL; at most {MaxProbeILBytes} are expected."));
    }

    // Some methods are never called, among them the first and last of a block, so a probe that hit its neighbour's
    // word would show up as a called method that never ran.
    private static int Calls(int index) => index % 5 == 0 || index % 256 == 255 ? 0 : (index % 3) + 1;

    public sealed class Module : IDisposable
    {
        public const int Methods = 600;

        private readonly TempDirectory _temp = new("coldmod-probe-blocks");
        private readonly AssemblyLoadContext _context = new("probe-blocks", isCollectible: true);

        public Module()
        {
            var root = _temp.Combine("root");
            Directory.CreateDirectory(root);
            File.WriteAllText(Path.Combine(root, RootMarker.FileName), "");
            var source = _temp.Write("root/src/Many.cs", Source());
            var compiled = TestCompilation.Compile("Woven.ProbeBlocks", [new SourceInput(source)], Path.Combine(root, "bin"), optimize: true);
            WovenPath = compiled.AssemblyPath;
            var result = AssemblyWeaver.Weave(new WeaveOptions(WovenPath, RootMarker.Load(Path.Combine(root, RootMarker.FileName)), WovenCorpusFixture.RuntimeAssemblyPath));
            Assert.Equal(WeaveOutcome.Woven, result.Outcome);
            Assert.Equal(Enumerable.Range(0, Methods).Select(Key), result.Srcs.Select(s => s.Key));

            Woven = _context.LoadFromAssemblyPath(WovenPath);
            CountingSettings.ForThisThread = CountingSettings.Exact;
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
