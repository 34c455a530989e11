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

    private WeavableAssembly(string path, string pdbPath, ModuleDefinition module, bool embeddedPdb, DefaultAssemblyResolver resolver)
    {
        _path = path;
        _pdbPath = pdbPath;
        Module = module;
        _embeddedPdb = embeddedPdb;
        _resolver = resolver;
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

        PdbLocation pdb;
        using (var peReader = new PEReader(new MemoryStream(image, writable: false)))
        {
            pdb = PdbLocator.Find(peReader, fullPath);
        }

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

        try
        {
            var module = ModuleDefinition.ReadModule(new MemoryStream(image, writable: false), parameters);
            return new WeavableAssembly(fullPath, pdbPath, module, embedded, resolver);
        }
        catch (Exception e) when (e is BadImageFormatException or InvalidOperationException or SymbolsNotMatchingException)
        {
            resolver.Dispose();
            throw new ColdmodException(DiagnosticCodes.AssemblyUnreadable, $"Cannot read {fullPath} with its PDB: {e.Message}", fullPath, inner: e);
        }
    }

    public void Write(string? strongNameKeyFile)
    {
        var writer = new WriterParameters
        {
            WriteSymbols = true,
            DeterministicMvid = true,
            SymbolWriterProvider = _embeddedPdb ? new EmbeddedPdbWriterProvider(_path) : new PortablePdbWriterProvider(),
        };
        if (strongNameKeyFile is not null)
        {
            writer.StrongNameKeyBlob = File.ReadAllBytes(strongNameKeyFile);
        }

        using var image = new MemoryStream();
        using var pdb = new MemoryStream();
        if (!_embeddedPdb)
        {
            writer.SymbolStream = pdb;
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
    }

    private static void ReplaceFile(string path, MemoryStream content)
    {
        var temporary = path + ".coldmod-tmp";
        File.WriteAllBytes(temporary, content.ToArray());
        File.Move(temporary, path, overwrite: true);
    }


    // Cecil's embedded-PDB writer wants the assembly's file name (for the PDB path it records), which a
    // write to a stream does not give it; the weaver writes to memory, so it supplies the real one.
    private sealed class EmbeddedPdbWriterProvider(string assemblyPath) : ISymbolWriterProvider
    {
        private readonly EmbeddedPortablePdbWriterProvider _embedded = new();

        public ISymbolWriter GetSymbolWriter(ModuleDefinition module, string fileName) =>
            _embedded.GetSymbolWriter(module, assemblyPath);

        public ISymbolWriter GetSymbolWriter(ModuleDefinition module, Stream symbolStream) =>
            throw new NotSupportedException("An embedded PDB is written into the assembly, not to a separate stream.");
    }
}
