namespace Coldmod.Weaver;

/// <summary>The stable codes of Coldmod's diagnostics, as printed by the CLI and the MSBuild task.</summary>
public static class DiagnosticCodes
{
    /// <summary>No coldmod.rootmarker above the start directory.</summary>
    public const string RootMarkerMissing = "CM0001";

    /// <summary>coldmod.rootmarker is not valid TOML or has values of the wrong type.</summary>
    public const string RootMarkerMalformed = "CM0002";

    /// <summary>coldmod.rootmarker has a table or key Coldmod does not know.</summary>
    public const string RootMarkerUnknownEntry = "CM0003";

    /// <summary>An assembly or its PDB cannot be read.</summary>
    public const string AssemblyUnreadable = "CM0004";

    /// <summary>The assembly has no portable PDB, so its methods cannot be mapped to source.</summary>
    public const string PdbMissing = "CM0005";

    /// <summary>Two methods have the same documentation comment ID; the later one gets a suffixed key.</summary>
    public const string DuplicateKey = "CM0006";

    /// <summary>No build output was found to read srcs from.</summary>
    public const string NoBuildFound = "CM0007";

    /// <summary>A method cannot be woven; the message names it and its file:line.</summary>
    public const string WeaveFailed = "CM0008";

    /// <summary>The woven project does not reference Coldmod.Runtime (reported by the MSBuild task).</summary>
    public const string RuntimeNotReferenced = "CM0009";

    /// <summary>The weaver failed unexpectedly; a bug to report (reported by the MSBuild task).</summary>
    public const string WeaverInternalError = "CM0010";

    /// <summary>The build runs on .NET Framework MSBuild, which the task does not support yet.</summary>
    public const string UnsupportedMSBuild = "CM0011";

    /// <summary>Source root mappings lead traced PDB documents to files that do not exist on this disk.</summary>
    public const string MappedSourceMissing = "CM0012";
}
