using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Coldmod.Weaver.Internal;

internal sealed record RootMarkerConfig(IReadOnlyList<string> IgnoreFiles, IReadOnlyList<string> IgnoreKeys);

/// <summary>
/// Reads the marker from Tomlyn's syntax tree rather than its object model, so every complaint
/// can name the line and column it is about.
/// </summary>
internal static class RootMarkerParser
{
    private const string IgnoreTable = "ignore";
    private static readonly string[] s_ignoreEntries = ["files", "keys"];

    public static RootMarkerConfig Parse(string text, string path)
    {
        var document = SyntaxParser.Parse(text, path, true);
        var firstError = document.Diagnostics.FirstOrDefault(d => d.Kind == DiagnosticMessageKind.Error);
        if (firstError is not null)
        {
            throw Malformed(path, firstError.Span, $"{firstError.Message}.");
        }

        foreach (var topLevel in document.KeyValues)
        {
            throw Unknown(path, topLevel.Span, $"Unknown top-level key '{KeyText(topLevel.Key)}'. Coldmod reads only the [ignore] table (files, keys).");
        }

        var files = new List<string>();
        var keys = new List<string>();
        foreach (var table in document.Tables)
        {
            var name = KeyText(table.Name);
            if (table is not TableSyntax || name != IgnoreTable)
            {
                throw Unknown(path, table.Span, $"Unknown table '{name}'. Coldmod reads only the [ignore] table (files, keys).");
            }

            foreach (var entry in table.Items)
            {
                var key = KeyText(entry.Key);
                var target = key switch
                {
                    "files" => files,
                    "keys" => keys,
                    _ => throw Unknown(path, entry.Span, $"Unknown key '{key}' in [ignore]. Expected one of: {string.Join(", ", s_ignoreEntries)}."),
                };
                target.AddRange(ReadStringArray(entry, $"{IgnoreTable}.{key}", path));
            }
        }

        foreach (var glob in files)
        {
            if (Path.IsPathRooted(glob) || glob.Contains('\\', StringComparison.Ordinal))
            {
                throw new ColdmodException(
                    DiagnosticCodes.RootMarkerMalformed,
                    $"ignore.files glob '{glob}' must be relative to the root and use '/' separators.",
                    path);
            }
        }

        return new RootMarkerConfig(files, keys);
    }

    private static IEnumerable<string> ReadStringArray(KeyValueSyntax entry, string name, string path)
    {
        if (entry.Value is not ArraySyntax array)
        {
            throw Malformed(path, entry.Span, $"{name} must be an array of strings, like {name.Split('.')[1]} = [\"...\"].");
        }

        foreach (var item in array.Items)
        {
            if (item.Value is not StringValueSyntax { Value: { } value })
            {
                throw Malformed(path, item.Span, $"{name} must contain only strings.");
            }

            if (value.Trim().Length == 0)
            {
                throw Malformed(path, item.Span, $"{name} contains an empty string.");
            }

            yield return value.Trim();
        }
    }

    private static string KeyText(KeySyntax? key) => key?.ToString()?.Trim() ?? "";

    private static ColdmodException Malformed(string path, SourceSpan span, string message) =>
        new(DiagnosticCodes.RootMarkerMalformed, message, path, span.Start.Line + 1, span.Start.Column + 1);

    private static ColdmodException Unknown(string path, SourceSpan span, string message) =>
        new(DiagnosticCodes.RootMarkerUnknownEntry, message, path, span.Start.Line + 1, span.Start.Column + 1);
}
