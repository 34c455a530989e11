using System.IO.Compression;

namespace Coldmod.Runtime.Internal;

// The srcs of one woven assembly, embedded in it as a manifest resource; the entry index is the probe index.
// Format 3 (written since the table became compact), byte by byte:
//   byte 0        the format number, 3;
//   the rest      a raw DEFLATE stream of the body CompactSrcsFormat describes: each key cut into type, member,
//                 parameter list and nested-function suffix, every distinct part and file stored once, then one
//                 column of pool ids per part, and the lines as deltas.
// Formats 1 and 2 were JSON, so their first byte is '{' (or JSON whitespace): they are still read, because one process
// runs one Coldmod.Runtime (the app's) while its libraries and plugins may have been woven by an older Coldmod.
// A format number is one byte and must never be one a JSON text can start with (9, 10, 13, 32, 123, 0xEF).
internal sealed class SrcsTable
{
    public const string ResourceName = "Coldmod.Srcs";
    public const int Format = 3;

    private const int OldestReadableFormat = 1;

    private readonly SrcEntry[] _entries;

    public SrcsTable(IReadOnlyList<SrcEntry> entries)
    {
        if (entries is null)
        {
            throw new ArgumentNullException(nameof(entries));
        }

        _entries = new SrcEntry[entries.Count];
        for (var i = 0; i < _entries.Length; i++)
        {
            var entry = entries[i] ?? throw new ArgumentException($"srcs[{i}] is null.", nameof(entries));
            // Validated here too, so a weaver bug fails the build instead of every app start.
            if (string.IsNullOrEmpty(entry.Key))
            {
                throw new ArgumentException($"srcs[{i}] has an empty key.", nameof(entries));
            }

            if (entry.File is null)
            {
                throw new ArgumentException($"srcs[{i}] ({entry.Key}) has no file.", nameof(entries));
            }

            if (entry.Line < 1)
            {
                throw new ArgumentException($"srcs[{i}] ({entry.Key}) has line {entry.Line}; lines start at 1.", nameof(entries));
            }

            _entries[i] = entry;
        }
    }

    public IReadOnlyList<SrcEntry> Entries => _entries;

    public void WriteTo(Stream stream)
    {
        if (stream is null)
        {
            throw new ArgumentNullException(nameof(stream));
        }

        stream.WriteByte(Format);
        // Optimal rather than SmallestSize: the runtime targets netstandard2.0 too, which has no SmallestSize.
        using var deflate = new DeflateStream(stream, CompressionLevel.Optimal, leaveOpen: true);
        CompactSrcsFormat.Write(deflate, _entries);
    }

    public static SrcsTable Read(Stream stream)
    {
        if (stream is null)
        {
            throw new ArgumentNullException(nameof(stream));
        }

        using var bytes = new MemoryStream();
        stream.CopyTo(bytes);
        return Read(bytes.ToArray());
    }

    public static SrcsTable Read(byte[] content)
    {
        if (content is null)
        {
            throw new ArgumentNullException(nameof(content));
        }

        if (content.Length == 0)
        {
            throw Malformed("it is empty");
        }

        if (JsonSrcsFormat.LooksLikeJson(content[0]))
        {
            return new SrcsTable(JsonSrcsFormat.Read(content, OldestReadableFormat));
        }

        int format = content[0];
        if (format > Format)
        {
            throw new InvalidDataException(
                $"{ResourceName} table format {format} is newer than this Coldmod.Runtime reads (formats {OldestReadableFormat} to {Format}): "
                + "the assembly was woven by a newer Coldmod. Reference the Coldmod package version that wove it (or newer) from the app.");
        }

        if (format != Format)
        {
            throw Malformed($"it starts with byte {format}, which is neither format {Format} nor JSON");
        }

        return new SrcsTable(Inflate(content));
    }

    internal static InvalidDataException Malformed(string problem, Exception? inner = null) =>
        new($"Malformed {ResourceName} table: {problem}.", inner);

    private static SrcEntry[] Inflate(byte[] content)
    {
        byte[] body;
        try
        {
            using var compressed = new MemoryStream(content, 1, content.Length - 1, writable: false);
            using var deflate = new DeflateStream(compressed, CompressionMode.Decompress);
            using var inflated = new MemoryStream(content.Length * 4);
            deflate.CopyTo(inflated);
            body = inflated.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw Malformed($"its compressed body is damaged ({e.Message})", e);
        }

        return CompactSrcsFormat.Read(body);
    }
}
