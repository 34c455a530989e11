using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Coldmod.Runtime.Internal;
using Coldmod.TestSupport;
using Coldmod.Weaver.Weaving;

namespace Coldmod.Weaver.Tests.Weaving;

public sealed class WeavingTests(ReleaseCorpus corpus) : IClassFixture<ReleaseCorpus>
{
    [Fact]
    public void Every_woven_method_compiles()
    {
        var compiled = JitCompiler.CompileAll(corpus.Woven);

        Assert.True(compiled > corpus.Result.Srcs.Count, $"only {compiled} methods were compiled");
    }

    [Fact]
    public void Weaving_a_woven_assembly_is_a_no_op_that_leaves_it_byte_identical()
    {
        using var temp = new TempDirectory();
        var path = CopyUnwoven(temp, "again");
        AssemblyWeaver.Weave(new WeaveOptions(path, corpus.Root, WovenCorpusFixture.RuntimeAssemblyPath));
        var image = File.ReadAllBytes(path);
        var pdb = File.ReadAllBytes(Path.ChangeExtension(path, ".pdb"));

        var second = AssemblyWeaver.Weave(new WeaveOptions(path, corpus.Root, WovenCorpusFixture.RuntimeAssemblyPath));

        Assert.Equal(WeaveOutcome.AlreadyWoven, second.Outcome);
        Assert.Equal(image, File.ReadAllBytes(path));
        Assert.Equal(pdb, File.ReadAllBytes(Path.ChangeExtension(path, ".pdb")));
    }

    [Fact]
    public void Weaving_is_deterministic()
    {
        using var temp = new TempDirectory();
        var first = CopyUnwoven(temp, "first");
        var second = CopyUnwoven(temp, "second");

        AssemblyWeaver.Weave(new WeaveOptions(first, corpus.Root, WovenCorpusFixture.RuntimeAssemblyPath));
        AssemblyWeaver.Weave(new WeaveOptions(second, corpus.Root, WovenCorpusFixture.RuntimeAssemblyPath));

        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(second));
    }

    [Fact]
    public void The_srcs_table_is_embedded_in_probe_order_and_readable_without_loading_code()
    {
        var table = SrcsTable.Read(WovenSrcsResource.Read(corpus.WovenPath));

        Assert.Equal(corpus.Result.Srcs.Select(s => new SrcEntry(s.Key, s.File, s.Line, s.Label)), table.Entries);
    }

    [Fact]
    // Cecil records the PDB's file name without its directory; debuggers, symbol servers and stack traces
    // look a PDB up by that name beside the assembly and by its id, so both must match.
    public void The_woven_assembly_names_its_pdb_and_the_pdb_id_matches()
    {
        static (string Path, Guid Id) CodeView(string assembly)
        {
            using var pe = new PEReader(File.OpenRead(assembly));
            var entry = pe.ReadDebugDirectory().Single(e => e.Type == DebugDirectoryEntryType.CodeView);
            var data = pe.ReadCodeViewDebugDirectoryData(entry);
            return (data.Path, data.Guid);
        }

        var woven = CodeView(corpus.WovenPath);
        using var pdbStream = File.OpenRead(Path.ChangeExtension(corpus.WovenPath, ".pdb"));
        using var pdb = MetadataReaderProvider.FromPortablePdbStream(pdbStream);
        var pdbId = new BlobContentId(pdb.GetMetadataReader().DebugMetadataHeader!.Id);

        Assert.Equal(Path.GetFileName(CodeView(corpus.UnwovenPath).Path), Path.GetFileName(woven.Path));
        Assert.Equal(pdbId.Guid, woven.Id);
    }

    [Fact]
    public void Every_original_sequence_point_is_kept_and_each_probe_is_hidden()
    {
        var unwoven = SequencePoints(corpus.UnwovenPath);
        var woven = SequencePoints(corpus.WovenPath);
        var probed = corpus.Result.Srcs.Select(s => s.Key).ToHashSet();

        foreach (var (method, points) in unwoven)
        {
            var wovenPoints = woven[method];
            var visible = wovenPoints.Where(p => !p.Hidden).Select(p => p.Span).ToList();
            Assert.Equal(points.Where(p => !p.Hidden).Select(p => p.Span), visible);
            if (probed.Contains(method) && points.Count > 0)
            {
                Assert.True(wovenPoints[0].Hidden && wovenPoints[0].Offset == 0, $"{method} does not start with a hidden sequence point");
                Assert.True(wovenPoints.Skip(1).All(p => p.Offset > 0), $"{method} has an original sequence point on the probe");
            }
        }
    }

    [Fact]
    public void The_woven_scan_still_finds_the_same_srcs_at_the_same_lines()
    {
        var woven = SrcScanner.Scan(corpus.WovenPath, corpus.Root);

        Assert.Equal(
            corpus.Result.Srcs.Select(s => (s.Key, s.File, s.Line)),
            woven.Srcs.Select(s => (s.Key, s.File, s.Line)));
    }

    private string CopyUnwoven(TempDirectory temp, string name)
    {
        var directory = temp.Combine(name);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, Path.GetFileName(corpus.UnwovenPath));
        File.Copy(corpus.UnwovenPath, path);
        File.Copy(Path.ChangeExtension(corpus.UnwovenPath, ".pdb"), Path.ChangeExtension(path, ".pdb"));
        return path;
    }

    // By method key rather than token: writing the woven assembly may renumber methods.
    private static Dictionary<string, List<(int Offset, bool Hidden, (int, int, int, int) Span)>> SequencePoints(string assembly)
    {
        using var pe = new PEReader(File.OpenRead(assembly));
        var metadata = pe.GetMetadataReader();
        using var pdbStream = File.OpenRead(Path.ChangeExtension(assembly, ".pdb"));
        using var provider = MetadataReaderProvider.FromPortablePdbStream(pdbStream);
        var pdb = provider.GetMetadataReader();
        var result = new Dictionary<string, List<(int, bool, (int, int, int, int))>>();
        foreach (var handle in pdb.MethodDebugInformation)
        {
            var key = Coldmod.Weaver.Internal.MethodKeys.For(metadata, handle.ToDefinitionHandle());
            var info = pdb.GetMethodDebugInformation(handle);
            result[key] = info.SequencePointsBlob.IsNil
                ? []
                : info.GetSequencePoints().Select(p => (p.Offset, p.IsHidden, (p.StartLine, p.StartColumn, p.EndLine, p.EndColumn))).ToList();
        }

        return result;
    }
}
