using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Coldmod.Runtime.Internal.Sending;

// Every src of the app, for Set: Set deletes the keys it is not given, so an assembly that is not loaded yet (a plugin,
// a code path not reached) must be read from disk, without loading it into the app.
internal static class AppSrcs
{
    public static List<SrcEntry> Collect(IReadOnlyList<ModuleCounters> modules, string? baseDirectory)
    {
        var srcs = new Dictionary<string, SrcEntry>(StringComparer.Ordinal);
        foreach (var module in modules)
        {
            if (module.Srcs is { } table)
            {
                Add(srcs, table);
            }
            else
            {
                // Registered by keys, with no table behind them; fallback #index keys name nothing and are not sent.
                foreach (var key in module.Keys.Where(k => !k.StartsWith('#')))
                {
                    srcs.TryAdd(key, new SrcEntry(key, "", 0));
                }
            }
        }

        if (!string.IsNullOrEmpty(baseDirectory) && Directory.Exists(baseDirectory))
        {
            foreach (var path in Directory.EnumerateFiles(baseDirectory, "*.dll").OrderBy(p => p, StringComparer.Ordinal))
            {
                Add(srcs, TryReadFile(path));
            }
        }

        return [.. srcs.Values];
    }

    // Null for a file that is not a .NET assembly or has no srcs table; a table that is there but broken is reported.
    public static SrcsTable? TryReadFile(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var pe = new PEReader(stream);
            if (!pe.HasMetadata || pe.PEHeaders.CorHeader is not { } cor)
            {
                return null;
            }

            var metadata = pe.GetMetadataReader();
            foreach (var handle in metadata.ManifestResources)
            {
                var resource = metadata.GetManifestResource(handle);
                if (!resource.Implementation.IsNil || !metadata.StringComparer.Equals(resource.Name, SrcsTable.ResourceName))
                {
                    continue;
                }

                // An embedded resource is a 4-byte length and the bytes, at its offset in the resources directory.
                var block = pe.GetSectionData(cor.ResourcesDirectory.RelativeVirtualAddress).GetReader();
                block.Offset = checked((int)resource.Offset);
                var length = block.ReadInt32();
                using var bytes = new MemoryStream(block.ReadBytes(length));
                return SrcsTable.Read(bytes);
            }

            return null;
        }
        catch (BadImageFormatException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or InvalidOperationException or ArgumentOutOfRangeException or OverflowException)
        {
            RuntimeLog.Report($"the srcs of {Path.GetFileName(path)} cannot be read ({e.Message.ReplaceLineEndings(" ")}); its keys are not sent.");
            return null;
        }
    }

    private static void Add(Dictionary<string, SrcEntry> srcs, SrcsTable? table)
    {
        if (table is null)
        {
            return;
        }

        foreach (var entry in table.Entries)
        {
            srcs.TryAdd(entry.Key, entry);
        }
    }
}
