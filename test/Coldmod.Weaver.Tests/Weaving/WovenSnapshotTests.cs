using ICSharpCode.Decompiler;
using ICSharpCode.Decompiler.CSharp;
using ICSharpCode.Decompiler.Disassembler;
using ICSharpCode.Decompiler.Metadata;
using ICSharpCode.Decompiler.TypeSystem;
using Coldmod.TestSupport;
using Coldmod.Weaver.Weaving;

namespace Coldmod.Weaver.Tests.Weaving;

/// <summary>A few woven methods kept as readable text, so any change to the woven code is seen and reviewed.</summary>
public sealed class WovenSnapshotTests(ReleaseCorpus corpus) : IClassFixture<ReleaseCorpus>
{
    [Theory]
    [InlineData("Woven.Corpus.Calls", "CountDown")]
    [InlineData("Woven.Corpus.Calls", "DivideOrMinusOne")]
    [InlineData("Woven.Corpus.Counter", ".ctor")]
    [InlineData("Woven.Corpus.Flows", "TwiceAsync")]
    [InlineData("Woven.Corpus.Point", "Move")]
    public void Woven_method_reads_as_approved(string type, string method)
    {
        var decompiler = new CSharpDecompiler(corpus.WovenPath, Resolver(), new DecompilerSettings { ThrowOnAssemblyResolveErrors = true });
        var definition = decompiler.TypeSystem.MainModule.GetTypeDefinition(new FullTypeName(type))!;
        var members = definition.Methods.Where(m => m.Name == method).OrderBy(m => m.Parameters.Count).ToList();

        var text = string.Join("\n", members.Select(m => decompiler.DecompileAsString(m.MetadataToken)));

        ApprovedFile.Verify($"{type}.{method.TrimStart('.')}", text.TrimEnd() + "\n");
    }

    [Fact]
    public void The_probe_class_reads_as_approved_in_IL()
    {
        using var file = new PEFile(corpus.WovenPath);
        var output = new PlainTextOutput();
        var disassembler = new ReflectionDisassembler(output, CancellationToken.None) { ShowSequencePoints = false };
        var probes = file.Metadata.TypeDefinitions.Single(t => file.Metadata.GetString(file.Metadata.GetTypeDefinition(t).Name) == WovenNames.ProbesType);

        disassembler.DisassembleType(file, probes);

        ApprovedFile.Verify("ProbesClass.il", output.ToString().TrimEnd() + "\n");
    }

    private UniversalAssemblyResolver Resolver()
    {
        var resolver = new UniversalAssemblyResolver(corpus.WovenPath, throwOnError: true, ".NETCoreApp,Version=v10.0");
        resolver.AddSearchDirectory(AppContext.BaseDirectory);
        return resolver;
    }
}
