namespace Coldmod.Weaver;

/// <summary>What a scan of one assembly found.</summary>
public sealed record SrcScan(string AssemblyPath, IReadOnlyList<TraceSrc> Srcs, IReadOnlyList<ScanWarning> Warnings)
{
    /// <summary>
    /// True when at least one PDB document lies under the root: false means the assembly is a dependency
    /// (or was built from elsewhere) and is not traced.
    /// </summary>
    public bool HasDocumentsUnderRoot { get; init; }
}
