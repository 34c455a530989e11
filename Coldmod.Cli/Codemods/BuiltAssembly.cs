using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Coldmod.Weaver;
using Coldmod.Weaver.Internal;

namespace Coldmod.Cli.Codemods;

// One built assembly with its portable PDB, read into memory once and shared by the locator and the reference
// finder; PDB document paths are mapped back to the checkout as the scanner maps them.
internal sealed class BuiltAssembly : IDisposable
{
    private static readonly Guid s_compilationOptions = new("B5FEEC05-8CD0-4A83-96DA-466284BB4BD8");

    private readonly PEReader _pe;
    private readonly MetadataReaderProvider _pdbProvider;
    private readonly MappedPathResolver _paths;
    private readonly Dictionary<DocumentHandle, BuiltDocument?> _documents = [];

    private BuiltAssembly(string path, PEReader pe, MetadataReaderProvider pdbProvider, MappedPathResolver paths)
    {
        Path = path;
        _pe = pe;
        _pdbProvider = pdbProvider;
        _paths = paths;
        Metadata = pe.GetMetadataReader();
        Pdb = pdbProvider.GetMetadataReader();
        Name = Metadata.IsAssembly ? Metadata.GetString(Metadata.GetAssemblyDefinition().Name) : System.IO.Path.GetFileNameWithoutExtension(path);
        PreprocessorSymbols = ReadPreprocessorSymbols();
    }

    public string Path { get; }

    public string Name { get; }

    public MetadataReader Metadata { get; }

    public MetadataReader Pdb { get; }

    // The symbols the compiler defined (from the PDB's compilation options), so #if blocks parse as they were built.
    public IReadOnlyList<string> PreprocessorSymbols { get; }

    public static BuiltAssembly Open(string path, RootMarker root, SourceRootMap sourceRoots)
    {
        var image = ImmutableArray.Create(File.ReadAllBytes(path));
        var pe = new PEReader(image);
        try
        {
            var location = PdbLocator.Find(pe, path);
            if (!pe.HasMetadata || !location.Exists)
            {
                throw new ColdmodException(DiagnosticCodes.PdbMissing, $"{path} has no portable PDB beside it or embedded, so its methods cannot be mapped to source.", path);
            }

            return new BuiltAssembly(path, pe, PdbLocator.Open(pe, location), new MappedPathResolver(root, sourceRoots));
        }
        catch
        {
            pe.Dispose();
            throw;
        }
    }

    public MethodBodyBlock? Body(MethodDefinitionHandle handle)
    {
        var rva = Metadata.GetMethodDefinition(handle).RelativeVirtualAddress;
        return rva == 0 ? null : _pe.GetMethodBody(rva);
    }

    // The method's own source lines, or its state machine's for async methods and iterators (whose kickoff has none).
    public IReadOnlyList<SourcePoint> SourcePoints(MethodDefinitionHandle handle)
    {
        var points = OwnPoints(handle);
        if (points.Count > 0)
        {
            return points;
        }

        foreach (var debugHandle in Pdb.MethodDebugInformation)
        {
            if (Pdb.GetMethodDebugInformation(debugHandle).GetStateMachineKickoffMethod() == handle)
            {
                return OwnPoints(debugHandle.ToDefinitionHandle());
            }
        }

        return points;
    }

    // Every sequence point of the method body, with its IL offset, in offset order; hidden ones included.
    public IReadOnlyList<(int Offset, SourcePoint? Point)> SequencePoints(MethodDefinitionHandle handle)
    {
        var debug = Pdb.GetMethodDebugInformation(handle.ToDebugInformationHandle());
        if (debug.SequencePointsBlob.IsNil)
        {
            return [];
        }

        var result = new List<(int, SourcePoint?)>();
        foreach (var point in debug.GetSequencePoints())
        {
            result.Add((point.Offset, point.IsHidden ? null : ToSourcePoint(point)));
        }

        return result;
    }

    // Every source file the PDB names that maps to this disk, each once.
    public IEnumerable<BuiltDocument> Documents()
    {
        foreach (var handle in Pdb.Documents)
        {
            if (Document(handle) is { } document)
            {
                yield return document;
            }
        }
    }

    public void Dispose()
    {
        _pdbProvider.Dispose();
        _pe.Dispose();
    }

    private List<SourcePoint> OwnPoints(MethodDefinitionHandle handle) =>
        SequencePoints(handle).Where(p => p.Point is not null).Select(p => p.Point!).ToList();

    private SourcePoint? ToSourcePoint(SequencePoint point) =>
        Document(point.Document) is { } document
            ? new SourcePoint(document, point.StartLine, point.StartColumn, point.EndLine, point.EndColumn)
            : null;

    private BuiltDocument? Document(DocumentHandle handle)
    {
        if (!_documents.TryGetValue(handle, out var document))
        {
            var pdbDocument = Pdb.GetDocument(handle);
            var name = Pdb.GetString(pdbDocument.Name);
            var local = _paths.ToLocal(name);
            document = local is null
                ? null
                : new BuiltDocument(
                    System.IO.Path.GetFullPath(local),
                    pdbDocument.HashAlgorithm.IsNil ? Guid.Empty : Pdb.GetGuid(pdbDocument.HashAlgorithm),
                    pdbDocument.Hash.IsNil ? [] : Pdb.GetBlobContent(pdbDocument.Hash),
                    PreprocessorSymbols);
            _documents[handle] = document;
        }

        return document;
    }

    private List<string> ReadPreprocessorSymbols()
    {
        foreach (var handle in Pdb.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
        {
            var information = Pdb.GetCustomDebugInformation(handle);
            if (Pdb.GetGuid(information.Kind) != s_compilationOptions)
            {
                continue;
            }

            // Pairs of NUL-terminated UTF-8 strings: name, value.
            var parts = System.Text.Encoding.UTF8.GetString(Pdb.GetBlobBytes(information.Value)).Split('\0');
            for (var i = 0; i + 1 < parts.Length; i += 2)
            {
                if (parts[i] == "define")
                {
                    return [.. parts[i + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
                }
            }
        }

        return [];
    }
}
