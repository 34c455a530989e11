using MetadataReader = System.Reflection.Metadata.MetadataReader;
using MetadataReaderProvider = System.Reflection.Metadata.MetadataReaderProvider;
using System.Reflection.PortableExecutable;
using Mono.Cecil;

namespace Coldmod.Weaver.Weaving.Internal;

/// <summary>
/// The assembly's PDB as the compiler wrote it, kept for the rebuild after weaving: its tables, what its CodeView
/// entry recorded, and each type's row, so rows can be followed to where Cecil puts them when it writes.
/// </summary>
internal sealed class OriginalPdb : IDisposable
{
    private readonly MetadataReaderProvider _provider;
    private readonly IReadOnlyList<(TypeDefinition Type, int Row)> _typeRows;
    private readonly IReadOnlyList<(MethodDefinition Method, int Row)> _methodRows;

    private OriginalPdb(
        MetadataReaderProvider provider,
        string codeViewPath,
        int codeViewAge,
        bool hasChecksum,
        IReadOnlyList<(TypeDefinition, int)> typeRows,
        IReadOnlyList<(MethodDefinition, int)> methodRows)
    {
        _methodRows = methodRows;
        _provider = provider;
        Reader = provider.GetMetadataReader();
        CodeViewPath = codeViewPath;
        CodeViewAge = codeViewAge;
        HasChecksum = hasChecksum;
        _typeRows = typeRows;
    }

    public MetadataReader Reader { get; }

    /// <summary>The PDB path the compiler recorded (e.g. <c>/_/src/App/obj/Release/net8.0/App.pdb</c>).</summary>
    public string CodeViewPath { get; }

    public int CodeViewAge { get; }

    public bool HasChecksum { get; }

    /// <summary>Reads the PDB and the debug directory; call before anything changes the module.</summary>
    public static OriginalPdb Read(PEReader peReader, MetadataReaderProvider pdb, string assemblyPath, ModuleDefinition module)
    {
        var entries = peReader.ReadDebugDirectory();
        var codeView = entries.FirstOrDefault(e => e.Type == DebugDirectoryEntryType.CodeView);
        var data = codeView.Type == DebugDirectoryEntryType.CodeView
            ? peReader.ReadCodeViewDebugDirectoryData(codeView)
            : default;
        var path = string.IsNullOrEmpty(data.Path) ? Path.ChangeExtension(Path.GetFileName(assemblyPath), ".pdb") : data.Path;
        var types = module.GetTypes().ToList();
        var typeRows = types.Select(t => (t, (int)t.MetadataToken.RID)).ToList();
        var methodRows = types.SelectMany(t => t.Methods).Select(m => (m, (int)m.MetadataToken.RID)).ToList();
        return new OriginalPdb(pdb, path, Math.Max(data.Age, 1), entries.Any(e => e.Type == DebugDirectoryEntryType.PdbChecksum), typeRows, methodRows);
    }

    /// <summary>Each original type row mapped to its row in the module being written; valid once Cecil has numbered the rows.</summary>
    public IReadOnlyDictionary<int, int> WovenTypeRows() =>
        _typeRows.ToDictionary(t => t.Row, t => (int)t.Type.MetadataToken.RID);

    /// <summary>Each woven method row mapped to the row the method had in the original; valid once Cecil has numbered the rows.</summary>
    public IReadOnlyDictionary<int, int> OriginalMethodRows() =>
        _methodRows.ToDictionary(m => (int)m.Method.MetadataToken.RID, m => m.Row);

    public void Dispose() => _provider.Dispose();
}
