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
            return new BuildOutputIdentity(assemblyPath, mvid, PdbLocator.Find(peReader, assemblyPath).Exists);
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
}
