using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Coldmod.Runtime;
using Coldmod.Runtime.Internal;
using Coldmod.TestSupport;
using Coldmod.Weaver.Tests.Infrastructure;
using Coldmod.Weaver.Weaving;
using Xunit.Abstractions;

namespace Coldmod.Weaver.Tests.Weaving;

/// <summary>The whole key-oracle corpus, in every build variant, woven: every method still compiles and every src has its probe.</summary>
public sealed class CorpusWeavingTests(CorpusFixture corpus, ITestOutputHelper output) : IClassFixture<CorpusFixture>
{
    [Theory]
    [InlineData(CorpusVariants.Debug)]
    [InlineData(CorpusVariants.Release)]
    [InlineData(CorpusVariants.ReleaseEmbeddedPdb)]
    [InlineData(CorpusVariants.DeterministicMapped)]
    public void The_woven_corpus_compiles_method_by_method_and_registers_every_src(string variant)
    {
        var build = corpus.Build(variant);
        using var temp = new TempDirectory();
        var path = CopyBuild(build, temp);

        var result = AssemblyWeaver.Weave(new WeaveOptions(path, corpus.Root, WovenCorpusFixture.RuntimeAssemblyPath)
        {
            SourceRoots = build.SourceRoots ?? SourceRootMap.None,
        });

        Assert.Equal(WeaveOutcome.Woven, result.Outcome);
        Assert.Equal(
            build.Scan(corpus.Root).Srcs.Select(s => (s.Key, s.File, s.Line)),
            result.Srcs.Select(s => (s.Key, s.File, s.Line)));
        Assert.Equal(result.Srcs.Count, CountProbeCalls(path));
        Assert.Equal(
            result.Srcs.Select(s => new SrcEntry(s.Key, s.File, s.Line, s.Label)),
            SrcsTable.Read(WovenSrcsResource.Read(path)).Entries);

        var context = new AssemblyLoadContext($"corpus-{variant}", isCollectible: true);
        var unwovenContext = new AssemblyLoadContext($"corpus-{variant}-unwoven", isCollectible: true);
        try
        {
            var woven = context.LoadFromAssemblyPath(path);
            JitCompiler.CompileAll(woven, unwoven: unwovenContext.LoadFromAssemblyPath(build.Assembly.AssemblyPath));
            RuntimeHelpers.RunModuleConstructor(woven.ManifestModule.ModuleHandle);
            var module = ColdmodModules.Find(woven);
            Assert.NotNull(module);
            Assert.Equal(result.Srcs.Count, module.MethodCount);
        }
        finally
        {
            context.Unload();
            unwovenContext.Unload();
        }
    }

    [Fact]
    public void A_woven_assembly_with_an_embedded_pdb_keeps_it_embedded_and_still_maps_every_src()
    {
        var build = corpus.Build(CorpusVariants.ReleaseEmbeddedPdb);
        using var temp = new TempDirectory();
        var path = CopyBuild(build, temp);

        var result = AssemblyWeaver.Weave(new WeaveOptions(path, corpus.Root, WovenCorpusFixture.RuntimeAssemblyPath));
        var rescan = SrcScanner.Scan(path, corpus.Root);

        Assert.False(File.Exists(Path.ChangeExtension(path, ".pdb")));
        Assert.Equal(result.Srcs.Select(s => (s.Key, s.File, s.Line)), rescan.Srcs.Select(s => (s.Key, s.File, s.Line)));
    }

    [Fact]
    // The srcs table is a share of every woven assembly: at most 25 bytes a src keeps it a small one.
    public void The_srcs_table_takes_at_most_25_bytes_per_src()
    {
        var build = corpus.Build(CorpusVariants.Release);
        using var temp = new TempDirectory();
        var path = CopyBuild(build, temp);

        var result = AssemblyWeaver.Weave(new WeaveOptions(path, corpus.Root, WovenCorpusFixture.RuntimeAssemblyPath));

        var table = WovenSrcsResource.Read(path);
        var unwoven = new FileInfo(build.Assembly.AssemblyPath).Length;
        var woven = new FileInfo(path).Length;
        output.WriteLine(
            $"{result.Srcs.Count} srcs, table {table.Length} bytes ({(double)table.Length / result.Srcs.Count:F1} a src); "
            + $"assembly {unwoven} -> {woven} bytes (+{100.0 * (woven - unwoven) / unwoven:F1}%)");
        Assert.True(result.Srcs.Count > 200, $"the corpus has only {result.Srcs.Count} srcs");
        Assert.True(table.Length <= 25 * result.Srcs.Count, $"the table takes {table.Length} bytes for {result.Srcs.Count} srcs");
    }

    private static string CopyBuild(CorpusBuild build, TempDirectory temp)
    {
        var source = build.Assembly.AssemblyPath;
        var path = temp.Combine(Path.GetFileName(source));
        File.Copy(source, path);
        var pdb = Path.ChangeExtension(source, ".pdb");
        if (File.Exists(pdb))
        {
            File.Copy(pdb, Path.ChangeExtension(path, ".pdb"));
        }

        return path;
    }

    // Counts the methods whose IL begins with the probe, `ldc.i4.s offset; call <Coldmod>Probes::HitK`, read with System.Reflection.Metadata.
    private static int CountProbeCalls(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var reader = pe.GetMetadataReader();
        var probes = reader.TypeDefinitions.Single(t => reader.GetString(reader.GetTypeDefinition(t).Name) == WovenNames.ProbesType);
        var hitTokens = reader.GetTypeDefinition(probes).GetMethods()
            .Where(m => reader.GetString(reader.GetMethodDefinition(m).Name).StartsWith(WovenNames.HitMethod, StringComparison.Ordinal))
            .Select(m => System.Reflection.Metadata.Ecma335.MetadataTokens.GetToken(m))
            .ToHashSet();
        Assert.NotEmpty(hitTokens);
        var calls = 0;
        foreach (var handle in reader.MethodDefinitions)
        {
            var method = reader.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress == 0)
            {
                continue;
            }

            var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!;
            calls += StartsWithProbe(il, hitTokens) ? 1 : 0;
        }

        return calls;
    }

    // A woven method's IL starts with `call Hi`, its own probe method.
    private static bool StartsWithProbe(byte[] il, HashSet<int> hitTokens) =>
        il.Length >= 5 && il[0] == 0x28 && hitTokens.Contains(BitConverter.ToInt32(il, 1));
}
