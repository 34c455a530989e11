using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Coldmod.Weaver.Internal;

/// <summary>Where an assembly's portable PDB is: embedded, in a file beside it, or nowhere.</summary>
internal sealed record PdbLocation(bool Embedded, string? FilePath)
{
    public static PdbLocation None { get; } = new(false, null);

    public bool Exists => Embedded || FilePath is not null;
}

/// <summary>
/// The one place that decides which PDB belongs to an assembly, so the scanner, the weaver and the build-output
/// search agree. A PDB file is looked for beside the assembly, under the file name the build recorded and under
/// the assembly's own name; never at the recorded path itself, which names the build machine's obj/ folder.
/// </summary>
internal static class PdbLocator
{
    public static PdbLocation Find(PEReader peReader, string assemblyPath)
    {
        var entries = peReader.ReadDebugDirectory();
        if (entries.Any(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb))
        {
            return new PdbLocation(true, null);
        }

        var fullPath = Path.GetFullPath(assemblyPath);
        var directory = Path.GetDirectoryName(fullPath)!;
        var candidates = entries
            .Where(e => e.Type == DebugDirectoryEntryType.CodeView && e.IsPortableCodeView)
            .Select(e => Path.Combine(directory, FileNameOf(peReader.ReadCodeViewDebugDirectoryData(e).Path)))
            .Append(Path.ChangeExtension(fullPath, ".pdb"));
        var found = candidates.FirstOrDefault(File.Exists);
        return found is null ? PdbLocation.None : new PdbLocation(false, found);
    }

    /// <summary>Reads the PDB's metadata, from the image or from the file, fully into memory.</summary>
    public static MetadataReaderProvider Open(PEReader peReader, PdbLocation location)
    {
        if (location.Embedded)
        {
            var entry = peReader.ReadDebugDirectory().First(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
            return peReader.ReadEmbeddedPortablePdbDebugDirectoryData(entry);
        }

        var bytes = File.ReadAllBytes(location.FilePath!);
        return MetadataReaderProvider.FromPortablePdbImage(System.Collections.Immutable.ImmutableArray.Create(bytes));
    }

    // The recorded path may come from a Windows build machine; Path.GetFileName on Unix would not split it.
    private static string FileNameOf(string recordedPath) =>
        recordedPath[(recordedPath.LastIndexOfAny(['/', '\\']) + 1)..];
}
