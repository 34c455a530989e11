using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Coldmod.Weaver.Internal;

// Read from headers and metadata only: the MVID is the same for every copy of one compilation, so copies are
// recognised without hashing files, and knowing whether a PDB exists spares scanning dependencies.
internal sealed record BuildOutputIdentity(string AssemblyPath, Guid Mvid, bool HasPortablePdb)
{
    public static BuildOutputIdentity? TryRead(string assemblyPath, out string? problem)
    {
        try
        {
            // No prefetch options: PEReader then touches only the headers, the metadata and the debug directory,
            // which keeps a bin/ full of large dependencies cheap to sift.
            using var stream = new FileStream(assemblyPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var peReader = new PEReader(stream);
            if (!peReader.HasMetadata)
            {
                problem = "not a .NET assembly (native code, no metadata)";
                return null;
            }

            var metadata = peReader.GetMetadataReader();
            var mvid = metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
            problem = null;
            return new BuildOutputIdentity(assemblyPath, mvid, PortablePdbExists(peReader, assemblyPath));
        }
        catch (BadImageFormatException e)
        {
            problem = $"not a .NET assembly ({e.Message})";
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot be read ({e.Message})";
            return null;
        }
    }

    // Looks where PEReader.TryOpenAssociatedPortablePdb (the scanner's way in) looks: embedded, or beside the assembly
    // under the file name the build recorded. Never at the recorded path itself, which names the build machine's obj/.
    private static bool PortablePdbExists(PEReader peReader, string assemblyPath)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(assemblyPath))!;
        foreach (var entry in peReader.ReadDebugDirectory())
        {
            if (entry.Type == DebugDirectoryEntryType.EmbeddedPortablePdb)
            {
                return true;
            }

            if (entry.Type != DebugDirectoryEntryType.CodeView || !entry.IsPortableCodeView)
            {
                continue;
            }

            var recorded = peReader.ReadCodeViewDebugDirectoryData(entry).Path;
            if (File.Exists(Path.Combine(directory, FileNameOf(recorded))))
            {
                return true;
            }
        }

        return false;
    }

    // The recorded path may come from a Windows build machine; Path.GetFileName on Unix would not split it.
    private static string FileNameOf(string recordedPath) =>
        recordedPath[(recordedPath.LastIndexOfAny(['/', '\\']) + 1)..];
}
