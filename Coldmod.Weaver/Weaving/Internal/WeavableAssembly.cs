using System.Reflection.PortableExecutable;
using Coldmod.Weaver.Internal;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Coldmod.Weaver.Weaving.Internal;

/// <summary>
/// An assembly and its portable PDB read into memory, so nothing stays locked on disk, and written
/// back through temporary files, so a failed write never leaves a half-written assembly behind.
/// </summary>
internal sealed class WeavableAssembly : IDisposable
{
    private readonly string _path;
    private readonly string _pdbPath;
    private readonly bool _embeddedPdb;
    private readonly DefaultAssemblyResolver _resolver;
    private readonly OriginalPdb _originalPdb;

    private WeavableAssembly(string path, string pdbPath, ModuleDefinition module, bool embeddedPdb, DefaultAssemblyResolver resolver, OriginalPdb originalPdb)
    {
        _path = path;
        _pdbPath = pdbPath;
        Module = module;
        _embeddedPdb = embeddedPdb;
        _resolver = resolver;
        _originalPdb = originalPdb;
    }

    public ModuleDefinition Module { get; }

    public static WeavableAssembly Read(string path, IReadOnlyList<string> referencePaths)
    {
        var fullPath = Path.GetFullPath(path);
        byte[] image;
        try
        {
            image = File.ReadAllBytes(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ColdmodException(DiagnosticCodes.AssemblyUnreadable, $"Cannot read assembly {fullPath}: {e.Message}", fullPath, inner: e);
        }

        var resolver = new DefaultAssemblyResolver();
        foreach (var directory in referencePaths.Select(Path.GetDirectoryName).Append(Path.GetDirectoryName(fullPath)).Distinct())
        {
            if (!string.IsNullOrEmpty(directory))
            {
                resolver.AddSearchDirectory(directory);
            }
        }

        using var peReader = new PEReader(new MemoryStream(image, writable: false));
        var pdb = PdbLocator.Find(peReader, fullPath);

        var embedded = pdb.Embedded;
        var pdbPath = pdb.FilePath ?? Path.ChangeExtension(fullPath, ".pdb");
        var parameters = new ReaderParameters
        {
            AssemblyResolver = resolver,
            InMemory = true,
            ReadSymbols = true,
            SymbolReaderProvider = embedded ? new EmbeddedPortablePdbReaderProvider() : new PortablePdbReaderProvider(),
        };
        if (!embedded)
        {
            if (!pdb.Exists)
            {
                throw new ColdmodException(DiagnosticCodes.PdbMissing, $"{fullPath} has no portable PDB beside it ({pdbPath}) nor embedded; build with <DebugType>portable</DebugType> or embedded.", fullPath);
            }

            parameters.SymbolStream = new MemoryStream(File.ReadAllBytes(pdbPath), writable: false);
        }

        ModuleDefinition? module = null;
        try
        {
            module = ModuleDefinition.ReadModule(new MemoryStream(image, writable: false), parameters);
            var original = OriginalPdb.Read(peReader, PdbLocator.Open(peReader, pdb), fullPath, module);
            return new WeavableAssembly(fullPath, pdbPath, module, embedded, resolver, original);
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or SymbolsNotMatchingException)
        {
            module?.Dispose();
            resolver.Dispose();
            throw new ColdmodException(DiagnosticCodes.AssemblyUnreadable, $"Cannot read {fullPath} with its PDB: {e.Message}", fullPath, inner: e);
        }
    }

    public void Write(string? strongNameKeyFile)
    {
        using var image = new MemoryStream();
        using var pdb = new MemoryStream();
        var writer = new WriterParameters
        {
            WriteSymbols = true,
            DeterministicMvid = true,
            SymbolWriterProvider = new FaithfulPdbWriterProvider(_originalPdb, _embeddedPdb ? null : pdb),
        };
        if (strongNameKeyFile is not null)
        {
            writer.StrongNameKeyBlob = File.ReadAllBytes(strongNameKeyFile);
        }

        Module.Write(image, writer);
        ReplaceFile(_path, image);
        if (!_embeddedPdb)
        {
            ReplaceFile(_pdbPath, pdb);
        }
    }

    public void Dispose()
    {
        Module.Dispose();
        _resolver.Dispose();
        _originalPdb.Dispose();
    }

    private static void ReplaceFile(string path, MemoryStream content)
    {
        var temporary = path + ".coldmod-tmp";
        File.WriteAllBytes(temporary, content.ToArray());
        File.Move(temporary, path, overwrite: true);
    }


    // Cecil asks its provider for a writer; the stream or file name it offers is not where the PDB goes (see FaithfulPdbWriter).
    private sealed class FaithfulPdbWriterProvider(OriginalPdb original, Stream? output) : ISymbolWriterProvider
    {
        public ISymbolWriter GetSymbolWriter(ModuleDefinition module, string fileName) => new FaithfulPdbWriter(module, original, output);

        public ISymbolWriter GetSymbolWriter(ModuleDefinition module, Stream symbolStream) => new FaithfulPdbWriter(module, original, output);
    }
}
