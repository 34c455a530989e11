using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace Coldmod.EndToEnd.Tests.Infrastructure;

/// <summary>Reads what Coldmod left in an assembly, through metadata only, without loading it.</summary>
public static class AssemblyInspector
{
    /// <summary>The type the weaver adds to every woven assembly; more than one means it was woven twice.</summary>
    public const string ProbesType = "<Coldmod>Probes";

    public static int CountProbeTypes(string assemblyPath)
    {
        using var pe = new PEReader(File.OpenRead(assemblyPath));
        var metadata = pe.GetMetadataReader();
        return metadata.TypeDefinitions
            .Select(metadata.GetTypeDefinition)
            .Count(t => metadata.GetString(t.Namespace).Length == 0 && metadata.GetString(t.Name) == ProbesType);
    }

    public static IReadOnlyList<string> ReferencedAssemblies(Stream assembly)
    {
        using var pe = new PEReader(assembly);
        var metadata = pe.GetMetadataReader();
        return [.. metadata.AssemblyReferences.Select(r => metadata.GetString(metadata.GetAssemblyReference(r).Name))];
    }
}
