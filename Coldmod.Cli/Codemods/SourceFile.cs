using System.Security.Cryptography;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Coldmod.Cli.Codemods;

// A source file exactly as it is on disk, checked to be the one the build compiled, parsed as the build parsed it.
internal sealed class SourceFile
{
    private static readonly Guid s_sha1 = new("FF1816EC-AA5E-4D10-87F7-6F4963833460");
    private static readonly Guid s_sha256 = new("8829D00F-11B8-4213-878B-770E8597AC16");
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private SourceFile(string path, byte[] bytes, Encoding encoding, SyntaxTree tree)
    {
        Path = path;
        Bytes = bytes;
        Encoding = encoding;
        Tree = tree;
    }

    public string Path { get; }

    public byte[] Bytes { get; }

    // The file's encoding, its byte order mark included when it had one, so the edited file is written the same way.
    public Encoding Encoding { get; }

    public SyntaxTree Tree { get; }

    public SourceText Text => Tree.GetText();

    public static SourceFile? Read(BuiltDocument document, string shownPath, List<string> problems)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(document.LocalPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{shownPath}: cannot be read ({e.Message}).");
            return null;
        }

        if (Checksum(document.HashAlgorithm, bytes) is null)
        {
            problems.Add($"{shownPath}: the build recorded no checksum coldmod can check, so it cannot tell whether the file changed since; rebuild with a current .NET SDK, then try again.");
            return null;
        }

        if (!Matches(document, bytes))
        {
            problems.Add($"{shownPath}: changed since the build (its checksum differs from the PDB's); build again, then run coldmod rm.");
            return null;
        }

        var encoding = DetectEncoding(bytes, out var preambleLength);
        string content;
        try
        {
            content = encoding.GetString(bytes, preambleLength, bytes.Length - preambleLength);
        }
        catch (DecoderFallbackException)
        {
            problems.Add($"{shownPath}: is neither UTF-8 nor UTF-16, so it could not be written back byte for byte; edit it by hand.");
            return null;
        }

        // Written back through the same encoding, the text must give the same bytes, or untouched lines would change.
        var written = encoding.GetPreamble().Length == preambleLength ? Encode(encoding, content) : [];
        if (!written.AsSpan().SequenceEqual(bytes))
        {
            problems.Add($"{shownPath}: its encoding does not survive a round trip, so it could not be written back byte for byte; edit it by hand.");
            return null;
        }

        var options = new CSharpParseOptions(LanguageVersion.Preview, preprocessorSymbols: document.PreprocessorSymbols);
        var tree = CSharpSyntaxTree.ParseText(SourceText.From(content, encoding), options, document.LocalPath);
        return new SourceFile(document.LocalPath, bytes, encoding, tree);
    }

    // The compiler hashes the file's bytes as it read them, byte order mark included.
    public static bool Matches(BuiltDocument document, byte[] bytes) =>
        Checksum(document.HashAlgorithm, bytes) is { } actual && actual.AsSpan().SequenceEqual(document.Checksum.AsSpan());

    // False for a hash algorithm other than SHA-1 and SHA-256, whose match cannot be checked.
    public static bool CanCheck(BuiltDocument document) => Checksum(document.HashAlgorithm, []) is not null;

    public static byte[] Encode(Encoding encoding, string text) => [.. encoding.GetPreamble(), .. encoding.GetBytes(text)];

    private static byte[]? Checksum(Guid algorithm, byte[] bytes) =>
        algorithm == s_sha256 ? SHA256.HashData(bytes)
        : algorithm == s_sha1 ? SHA1.HashData(bytes)
        : null;

    private static Encoding DetectEncoding(byte[] bytes, out int preambleLength)
    {
        if (bytes is [0xEF, 0xBB, 0xBF, ..])
        {
            preambleLength = 3;
            return new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);
        }

        if (bytes is [0xFF, 0xFE, ..])
        {
            preambleLength = 2;
            return new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true);
        }

        if (bytes is [0xFE, 0xFF, ..])
        {
            preambleLength = 2;
            return new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true);
        }

        preambleLength = 0;
        return s_strictUtf8;
    }
}
