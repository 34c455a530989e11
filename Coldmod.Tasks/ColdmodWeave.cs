using Microsoft.Build.Framework;

namespace Coldmod.Tasks;

/// <summary>
/// Weaves Coldmod's entry probes into the intermediate assembly, after the compiler wrote it and before it is copied
/// to the output directory. The task only maps MSBuild's items into a request, runs the weaver in its own load
/// context and logs what the weaver reports, with codes and places.
/// </summary>
public sealed class ColdmodWeave : Microsoft.Build.Utilities.Task
{
    /// <summary>The code of "the project does not reference Coldmod.Runtime".</summary>
    public const string RuntimeNotReferencedCode = "CM0009";

    private const string RuntimeFileName = "Coldmod.Runtime.dll";

    /// <summary>The assembly to weave in place: <c>@(IntermediateAssembly)</c>.</summary>
    [Required]
    public string AssemblyPath { get; set; } = "";

    /// <summary>The project file: problems that have no place of their own are reported on it, and the search for coldmod.rootmarker starts in its directory.</summary>
    [Required]
    public string ProjectFile { get; set; } = "";

    /// <summary>The coldmod.rootmarker to use (<c>$(ColdmodRootMarker)</c>); empty to search upwards from the project's directory.</summary>
    public string RootMarker { get; set; } = "";

    /// <summary>The compiler's references, <c>@(ReferencePath)</c>: Coldmod.Runtime is found among them, and the weaver resolves types with them.</summary>
    public ITaskItem[] References { get; set; } = [];

    /// <summary><c>@(SourceRoot)</c>; roots with <c>MappedPath</c> metadata map a deterministic build's document paths back to disk.</summary>
    public ITaskItem[] SourceRoots { get; set; } = [];

    /// <summary>The strong-name key to re-sign the woven assembly with, empty when it is not signed with a private key.</summary>
    public string StrongNameKeyFile { get; set; } = "";

    /// <summary>The number of methods woven; 0 when nothing was woven.</summary>
    [Output]
    public int WovenMethodCount { get; private set; }

    public override bool Execute()
    {
        var references = References.Select(r => r.GetMetadata("FullPath")).ToList();
        var runtime = references.FirstOrDefault(r => string.Equals(Path.GetFileName(r), RuntimeFileName, StringComparison.OrdinalIgnoreCase));
        if (runtime is null)
        {
            Log.LogError(
                null, RuntimeNotReferencedCode, null, ProjectFile, 0, 0, 0, 0,
                $"ColdmodWeave is true but the project does not reference {RuntimeFileName}, which woven code calls. Add <PackageReference Include=\"Coldmod\" /> without excluding its compile or runtime assets, or set <ColdmodWeave>false</ColdmodWeave>.");
            return false;
        }

        var request = new WeaveRequest(
            AssemblyPath,
            Path.GetDirectoryName(Path.GetFullPath(ProjectFile))!,
            RootMarker,
            runtime,
            references,
            [.. SourceRoots.Select(r => (r.GetMetadata("MappedPath"), r.GetMetadata("FullPath"))).Where(r => r.Item1.Length > 0)],
            StrongNameKeyFile);

        var report = IsolatedWeaver.Weave(request);
        LogDiagnostics(report.Diagnostics);
        LogOutcome(report);
        return !Log.HasLoggedErrors;
    }

    private void LogDiagnostics(IEnumerable<WeaveDiagnostic> diagnostics)
    {
        foreach (var d in diagnostics)
        {
            var file = d.File.Length > 0 ? d.File : ProjectFile;
            switch (d.Severity)
            {
                case WeaveDiagnostic.Error:
                    Log.LogError(null, d.Code, null, file, d.Line, d.Column, 0, 0, d.Message);
                    break;
                case WeaveDiagnostic.Warning:
                    Log.LogWarning(null, d.Code, null, file, d.Line, d.Column, 0, 0, d.Message);
                    break;
                default:
                    Log.LogMessage(MessageImportance.Low, d.Message);
                    break;
            }
        }
    }

    private void LogOutcome(WeaveReport report)
    {
        var assembly = Path.GetFileName(AssemblyPath);
        switch (report.Outcome)
        {
            case WeaveReport.Woven:
                WovenMethodCount = report.MethodCount;
                var methods = report.MethodCount == 1 ? "method" : "methods";
                Log.LogMessage(MessageImportance.High, $"Coldmod: wove {report.MethodCount} {methods} into {assembly}");
                break;
            case WeaveReport.AlreadyWoven:
                Log.LogMessage(MessageImportance.High, $"Coldmod: {assembly} is already woven; left as it is");
                break;
            case WeaveReport.NothingToTrace:
                Log.LogMessage(MessageImportance.High, $"Coldmod: no method of {assembly} has its source under the coldmod.rootmarker directory; nothing woven");
                break;
        }
    }
}
