using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Coldmod.Weaver.Weaving;

namespace Coldmod.Weaver.Tests.Weaving;

/// <summary>The srcs resource of an assembly file, read with System.Reflection.Metadata, so without loading any of its code.</summary>
internal static class WovenSrcsResource
{
    public static byte[] Read(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        var reader = pe.GetMetadataReader();
        var resource = reader.ManifestResources.Select(reader.GetManifestResource)
            .Single(r => reader.GetString(r.Name) == WovenNames.SrcsResource);
        var section = pe.GetSectionData(pe.PEHeaders.CorHeader!.ResourcesDirectory.RelativeVirtualAddress);
        // An embedded resource is its 4-byte length and its bytes, at its offset in the resources directory.
        var blob = section.GetReader((int)resource.Offset, section.Length - (int)resource.Offset);
        var length = blob.ReadInt32();
        return blob.ReadBytes(length);
    }
}
