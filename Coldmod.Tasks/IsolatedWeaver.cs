using System.Reflection;
using System.Runtime.Loader;

namespace Coldmod.Tasks;

/// <summary>
/// Runs the weaver in a collectible AssemblyLoadContext of its own, over the folder the task was loaded from.
/// MSBuild's load context never sees Mono.Cecil or the weaver, so another task's Cecil cannot clash with ours, and
/// every assembly is loaded from bytes, so no file of the package stays locked between builds.
/// </summary>
internal static class IsolatedWeaver
{
    private const string EntryAssembly = "Coldmod.Tasks.Isolated";
    private const string EntryType = "Coldmod.Tasks.Isolated.WeaveEntryPoint";
    private const string EntryMethod = "Weave";

    public static WeaveReport Weave(WeaveRequest request)
    {
        var directory = Path.GetDirectoryName(typeof(IsolatedWeaver).Assembly.Location)!;
        var context = new IsolatedLoadContext(directory);
        try
        {
            var entry = context.LoadFromAssemblyName(new AssemblyName(EntryAssembly))
                .GetType(EntryType, throwOnError: true)!
                .GetMethod(EntryMethod, BindingFlags.Public | BindingFlags.Static)
                ?? throw new MissingMethodException(EntryType, EntryMethod);

            // The tuple types come from CoreLib, which every load context shares, so the result can be cast here.
            var (outcome, methodCount, diagnostics) = ((string, int, (string, string, string, string, int, int)[]))entry.Invoke(null,
            [
                request.AssemblyPath,
                request.ProjectDirectory,
                request.RootMarkerPath,
                request.RuntimeAssemblyPath,
                request.ReferencePaths.ToArray(),
                request.SourceRoots.Select(r => r.MappedPath).ToArray(),
                request.SourceRoots.Select(r => r.LocalPath).ToArray(),
                request.StrongNameKeyFile,
            ])!;

            return new WeaveReport(
                outcome,
                methodCount,
                [.. diagnostics.Select(d => new WeaveDiagnostic(d.Item1, d.Item2, d.Item3, d.Item4, d.Item5, d.Item6))]);
        }
        finally
        {
            context.Unload();
        }
    }

    private sealed class IsolatedLoadContext(string directory) : AssemblyLoadContext("Coldmod.Weaver", isCollectible: true)
    {
        // Our own assemblies come from the task's folder; the framework's are not there and fall through to the default context.
        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(directory, assemblyName.Name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            using var image = new MemoryStream(File.ReadAllBytes(path), writable: false);
            return LoadFromStream(image);
        }
    }
}
