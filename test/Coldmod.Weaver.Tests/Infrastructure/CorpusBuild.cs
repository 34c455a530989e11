using Coldmod.TestSupport;
using Microsoft.CodeAnalysis;

namespace Coldmod.Weaver.Tests.Infrastructure;

/// <summary>One compiled variant of the corpus, with the compilation the oracle reads its symbols from.</summary>
public sealed class CorpusBuild
{
    private readonly IReadOnlyDictionary<string, CorpusSource> _sourcesByTreePath;

    // sourcesByTreePath: each corpus file by the path its syntax tree (and so the PDB) records.
    public CorpusBuild(
        string variant,
        CompiledAssembly assembly,
        bool optimized,
        SourceRootMap? sourceRoots,
        IReadOnlyDictionary<string, CorpusSource> sourcesByTreePath)
    {
        Variant = variant;
        Assembly = assembly;
        Optimized = optimized;
        SourceRoots = sourceRoots;
        _sourcesByTreePath = sourcesByTreePath;
    }

    public string Variant { get; }

    public CompiledAssembly Assembly { get; }

    public Compilation Compilation => Assembly.Compilation;

    public bool Optimized { get; }

    public SourceRootMap? SourceRoots { get; }

    public CorpusSource SourceOf(SyntaxTree tree) => _sourcesByTreePath[tree.FilePath];

    public SrcScan Scan(RootMarker root) => SrcScanner.Scan(Assembly.AssemblyPath, root, SourceRoots);

    public override string ToString() => Variant;
}
