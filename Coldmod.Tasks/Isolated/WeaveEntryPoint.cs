using Coldmod.Weaver;
using Coldmod.Weaver.Weaving;

namespace Coldmod.Tasks.Isolated;

/// <summary>
/// The door from the ColdmodWeave task into the weaver. The task calls <see cref="Weave"/> by reflection from
/// another AssemblyLoadContext, so every parameter and the result are built from CoreLib types (strings, arrays,
/// value tuples), the only types both load contexts share: a type of ours would be a different type on each side.
/// </summary>
public static class WeaveEntryPoint
{
    /// <summary>The code of an unexpected failure inside the weaver: a bug to report, not a mistake to fix.</summary>
    public const string InternalErrorCode = "CM0010";

    /// <summary>Weaves one assembly in place and reports what happened instead of throwing.</summary>
    /// <param name="assemblyPath">The intermediate assembly (obj/), with its portable PDB beside it or embedded.</param>
    /// <param name="projectDirectory">Where to start looking for coldmod.rootmarker when <paramref name="rootMarkerPath"/> is empty.</param>
    /// <param name="rootMarkerPath">The coldmod.rootmarker to use, or empty to find it.</param>
    /// <param name="runtimeAssemblyPath">Coldmod.Runtime.dll as the project references it.</param>
    /// <param name="referencePaths">The assemblies the compiler referenced.</param>
    /// <param name="sourceRootMappedPaths">The deterministic prefixes of <c>@(SourceRoot)</c>, paired by index with <paramref name="sourceRootLocalPaths"/>.</param>
    /// <param name="sourceRootLocalPaths">The directories on disk the prefixes stand for.</param>
    /// <param name="strongNameKeyFile">The .snk to re-sign with, or empty.</param>
    /// <returns>
    /// The outcome (a <see cref="WeaveOutcome"/> name, or <c>Failed</c>), the number of methods woven, and the diagnostics,
    /// each with a severity (<c>error</c>, <c>warning</c> or <c>detail</c>), a code, a message and a place (file, line, column; empty file and 0 when it has none).
    /// </returns>
    public static (string Outcome, int MethodCount, (string Severity, string Code, string Message, string File, int Line, int Column)[] Diagnostics) Weave(
        string assemblyPath,
        string projectDirectory,
        string rootMarkerPath,
        string runtimeAssemblyPath,
        string[] referencePaths,
        string[] sourceRootMappedPaths,
        string[] sourceRootLocalPaths,
        string strongNameKeyFile)
    {
        RootMarker? root = null;
        try
        {
            root = string.IsNullOrEmpty(rootMarkerPath) ? RootMarker.Find(projectDirectory) : RootMarker.Load(rootMarkerPath);
            var sourceRoots = new SourceRootMap(sourceRootMappedPaths.Zip(sourceRootLocalPaths));
            var options = new WeaveOptions(assemblyPath, root, runtimeAssemblyPath)
            {
                SourceRoots = sourceRoots,
                ReferencePaths = referencePaths,
                StrongNameKeyFile = string.IsNullOrEmpty(strongNameKeyFile) ? null : strongNameKeyFile,
            };

            var result = AssemblyWeaver.Weave(options);
            var warnings = result.Warnings
                .Select(w => ("warning", w.Code, w.Message, Place(root, w.File), w.Line, 0))
                .ToArray();
            return (result.Outcome.ToString(), result.Srcs.Count, warnings);
        }
        catch (ColdmodException e)
        {
            return ("Failed", 0, [("error", e.Code, e.Message, Place(root, e.File), e.Line, e.Column)]);
        }
        catch (Exception e)
        {
            // Anything else is a weaver bug: say which assembly and keep the stack for the bug report.
            return ("Failed", 0,
            [
                ("error", InternalErrorCode, $"Coldmod failed unexpectedly while weaving {assemblyPath}: {e.GetType().Name}: {e.Message} (the build log at detailed verbosity has the stack trace; please report it).", "", 0, 0),
                ("detail", InternalErrorCode, e.ToString(), "", 0, 0),
            ]);
        }
    }

    // The weaver names sources relative to the root, as users read them; MSBuild would read them relative to the project.
    private static string Place(RootMarker? root, string? file)
    {
        if (string.IsNullOrEmpty(file))
        {
            return "";
        }

        return root is null || Path.IsPathRooted(file) ? file : Path.GetFullPath(file, root.RootDirectory);
    }
}
