using Coldmod.TestSupport;
using Coldmod.Weaver.Weaving;
using Coldmod.Weaver.Weaving.Internal;
using Mono.Cecil;

namespace Coldmod.Weaver.Tests.Weaving;

public sealed class WeaveErrorTests(ReleaseCorpus corpus) : IClassFixture<ReleaseCorpus>
{
    [Fact]
    public void A_method_that_cannot_be_woven_is_named_with_its_file_and_line()
    {
        using var module = ModuleDefinition.ReadModule(corpus.UnwovenPath);
        var hit = new ProbeClass(
            [new MethodDefinition("Hit0", MethodAttributes.Static, module.TypeSystem.Void)],
            new MethodDefinition("Initialize", MethodAttributes.Static, module.TypeSystem.Void));
        var src = new TraceSrc("Woven.Corpus.Calls.Gone(System.Int32)", "src/Calls.cs", 77) { MethodToken = 0x06FFFFFF };

        var error = Assert.Throws<ColdmodException>(() => ProbeInjector.Inject(module, [src], hit));

        Assert.Equal("CM0008", error.Code);
        Assert.Equal("src/Calls.cs", error.File);
        Assert.Equal(77, error.Line);
        Assert.Contains("Woven.Corpus.Calls.Gone(System.Int32) at src/Calls.cs:77", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_runtime_assembly_is_a_clear_error_that_leaves_the_assembly_untouched()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("Copy.dll");
        File.Copy(corpus.UnwovenPath, path);
        File.Copy(Path.ChangeExtension(corpus.UnwovenPath, ".pdb"), Path.ChangeExtension(path, ".pdb"));
        var before = File.ReadAllBytes(path);

        var error = Assert.Throws<ColdmodException>(() => AssemblyWeaver.Weave(new WeaveOptions(path, corpus.Root, temp.Combine("missing", "Coldmod.Runtime.dll"))));

        Assert.Contains("Coldmod.Runtime was not found", error.Message, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void An_assembly_without_a_pdb_is_a_clear_error()
    {
        using var temp = new TempDirectory();
        var path = temp.Combine("NoPdb.dll");
        File.Copy(corpus.UnwovenPath, path);

        var error = Assert.Throws<ColdmodException>(() => AssemblyWeaver.Weave(new WeaveOptions(path, corpus.Root, WovenCorpusFixture.RuntimeAssemblyPath)));

        Assert.Equal(DiagnosticCodes.PdbMissing, error.Code);
        Assert.Contains("portable PDB", error.Message, StringComparison.Ordinal);
    }
}
