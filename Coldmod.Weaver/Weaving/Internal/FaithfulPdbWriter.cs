using System.IO.Compression;
using System.Text;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Coldmod.Weaver.Weaving.Internal;

/// <summary>
/// The symbol writer Cecil writes the woven module through. Cecil's own portable PDB writer runs inside it, into
/// memory; once Cecil has laid out the metadata (every row number and IL offset final) and before it writes the
/// image, the PDB is rebuilt from Cecil's and the original's (see <see cref="PdbRebuilder"/>), and the debug
/// directory Cecil writes describes the rebuilt PDB: its id and checksum, and the PDB path the compiler recorded
/// (Cecil would record the bare file name). Hooking in here rather than patching the image afterwards keeps one
/// write, so the deterministic MVID and the strong-name signature cover the final debug directory.
/// </summary>
internal sealed class FaithfulPdbWriter : ISymbolWriter
{
    private readonly OriginalPdb _original;
    private readonly Stream? _output;
    private readonly MemoryStream _cecilPdb = new();
    private readonly ISymbolWriter _cecil;
    private RebuiltPdb? _rebuilt;

    // output: where a PDB file's bytes go; null when the PDB is embedded in the image.
    public FaithfulPdbWriter(ModuleDefinition module, OriginalPdb original, Stream? output)
    {
        _original = original;
        _output = output;
        _cecil = new PortablePdbWriterProvider().GetSymbolWriter(module, _cecilPdb);
    }

    public ISymbolReaderProvider GetReaderProvider() =>
        _output is null ? new EmbeddedPortablePdbReaderProvider() : new PortablePdbReaderProvider();

    public void Write(MethodDebugInformation info) => _cecil.Write(info);

    public void Write(ICustomDebugInformationProvider provider) => _cecil.Write(provider);

    // Cecil calls this once the metadata is built and before the image is written.
    public void Write()
    {
        _cecil.Write();
        _rebuilt = PdbRebuilder.Rebuild(_original.Reader, _cecilPdb.ToArray(), _original.WovenTypeRows(), _original.OriginalMethodRows());
        _output?.Write(_rebuilt.Image);
    }

    public ImageDebugHeader GetDebugHeader()
    {
        var pdb = _rebuilt ?? throw new InvalidOperationException("The PDB is rebuilt before the debug directory is written.");
        var entries = new List<ImageDebugHeaderEntry> { CodeView(pdb) };
        if (_original.HasChecksum)
        {
            entries.Add(Checksum(pdb));
        }

        if (_output is null)
        {
            entries.Add(Embedded(pdb));
        }

        return new ImageDebugHeader([.. entries]);
    }

    public void Dispose()
    {
        _cecil.Dispose();
        _cecilPdb.Dispose();
    }

    private ImageDebugHeaderEntry CodeView(RebuiltPdb pdb)
    {
        using var data = new MemoryStream();
        using (var writer = new BinaryWriter(data, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write("RSDS"u8);
            writer.Write(pdb.Id.Guid.ToByteArray());
            writer.Write(_original.CodeViewAge);
            writer.Write(Encoding.UTF8.GetBytes(_original.CodeViewPath));
            writer.Write((byte)0);
        }

        return Entry(ImageDebugType.CodeView, PortableCodeViewVersion, PortableCodeViewMinorVersion, (int)pdb.Id.Stamp, data.ToArray());
    }

    private static ImageDebugHeaderEntry Checksum(RebuiltPdb pdb)
    {
        var data = Encoding.UTF8.GetBytes("SHA256\0").Concat(pdb.Checksum).ToArray();
        return Entry(ImageDebugType.PdbChecksum, 1, 0, 0, data);
    }

    // "MPDB", the PDB's size, then the PDB deflated: what the compiler embeds.
    private static ImageDebugHeaderEntry Embedded(RebuiltPdb pdb)
    {
        using var data = new MemoryStream();
        data.Write("MPDB"u8);
        data.Write(BitConverter.GetBytes(pdb.Image.Length));
        using (var deflate = new DeflateStream(data, CompressionLevel.Optimal, leaveOpen: true))
        {
            deflate.Write(pdb.Image);
        }

        return Entry(ImageDebugType.EmbeddedPortablePdb, PortableCodeViewVersion, PortableCodeViewVersion, 0, data.ToArray());
    }

    private const short PortableCodeViewVersion = 0x0100;

    private const short PortableCodeViewMinorVersion = 0x504D;

    private static ImageDebugHeaderEntry Entry(ImageDebugType type, short major, short minor, int stamp, byte[] data) =>
        new(new ImageDebugDirectory { Type = type, MajorVersion = major, MinorVersion = minor, TimeDateStamp = stamp, SizeOfData = data.Length }, data);
}
