namespace Coldmod.Tasks;

/// <summary>What the task asks the isolated weaver to do: weave one assembly in place.</summary>
/// <param name="AssemblyPath">The intermediate assembly, before it is copied to the output directory.</param>
/// <param name="ProjectDirectory">Where the search for coldmod.rootmarker starts when <paramref name="RootMarkerPath"/> is empty.</param>
/// <param name="RootMarkerPath">The coldmod.rootmarker to use, or empty to find it.</param>
/// <param name="RuntimeAssemblyPath">Coldmod.Runtime.dll as the project references it.</param>
/// <param name="ReferencePaths">The assemblies the compiler referenced.</param>
/// <param name="SourceRoots">Deterministic path prefixes and the directories they stand for.</param>
/// <param name="StrongNameKeyFile">The key to re-sign with, or empty.</param>
internal sealed record WeaveRequest(
    string AssemblyPath,
    string ProjectDirectory,
    string RootMarkerPath,
    string RuntimeAssemblyPath,
    IReadOnlyList<string> ReferencePaths,
    IReadOnlyList<(string MappedPath, string LocalPath)> SourceRoots,
    string StrongNameKeyFile);

/// <summary>What the isolated weaver did: a <c>WeaveOutcome</c> name or <c>Failed</c>, the number of methods woven, and what it has to say.</summary>
internal sealed record WeaveReport(string Outcome, int MethodCount, IReadOnlyList<WeaveDiagnostic> Diagnostics)
{
    public const string Woven = "Woven";
    public const string AlreadyWoven = "AlreadyWoven";
    public const string NothingToTrace = "NothingToTrace";
}

/// <summary>One diagnostic from the weaver; <see cref="File"/> is empty and the numbers are 0 when it has no place.</summary>
internal sealed record WeaveDiagnostic(string Severity, string Code, string Message, string File, int Line, int Column)
{
    public const string Error = "error";
    public const string Warning = "warning";
    public const string Detail = "detail";
}
