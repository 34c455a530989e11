namespace Coldmod.Weaver.Weaving;

/// <summary>What to weave and how: one assembly, in place, with its PDB.</summary>
/// <param name="AssemblyPath">The assembly to weave (its portable PDB beside it, or embedded).</param>
/// <param name="Root">The parsed coldmod.rootmarker deciding which methods are traced.</param>
/// <param name="RuntimeAssemblyPath">Coldmod.Runtime.dll as the app references it; the probes call into it.</param>
public sealed record WeaveOptions(string AssemblyPath, RootMarker Root, string RuntimeAssemblyPath)
{
    /// <summary>Maps deterministic document paths (<c>/_/…</c>) back to the checkout.</summary>
    public SourceRootMap SourceRoots { get; init; } = SourceRootMap.None;

    /// <summary>The assemblies the compiler referenced (<c>@(ReferencePath)</c>), for resolving types while writing.</summary>
    public IReadOnlyList<string> ReferencePaths { get; init; } = [];

    /// <summary>A strong-name key file (.snk) to re-sign the woven assembly with; null keeps it as it is (public-signed assemblies stay loadable).</summary>
    public string? StrongNameKeyFile { get; init; }
}
