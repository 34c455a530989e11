using System.Globalization;
using System.Text;
using Coldmod.Weaver.Internal;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace Coldmod.Weaver;

/// <summary>The outcome of an edit of a <c>coldmod.rootmarker</c> text.</summary>
/// <param name="Text">The edited text; the input itself when nothing was added.</param>
/// <param name="Added">The keys added, in the order given.</param>
/// <param name="AlreadyPresent">The keys given that the marker already listed, left as they were.</param>
public sealed record RootMarkerEdit(string Text, IReadOnlyList<string> Added, IReadOnlyList<string> AlreadyPresent);

/// <summary>
/// Edits the text of a <c>coldmod.rootmarker</c> the way a person would: by inserting text where it belongs, so
/// every comment, blank line and the layout of the arrays stay as the user wrote them.
/// </summary>
public static class RootMarkerEditor
{
    private const string DefaultIndent = "    ";

    /// <summary>
    /// Adds <paramref name="keys"/> to <c>[ignore] keys</c>, creating the table or the array when absent and
    /// appending in the array's own style (one line, or one key per line with its indentation and trailing comma).
    /// </summary>
    /// <param name="text">The marker's current text.</param>
    /// <param name="keys">The keys to add; surrounding white space is trimmed, and keys already listed are skipped.</param>
    /// <param name="path">The marker's path, for error messages.</param>
    /// <exception cref="ColdmodException">The text is not a valid marker.</exception>
    /// <exception cref="ArgumentException">A key is empty or holds a control character.</exception>
    public static RootMarkerEdit AddIgnoreKeys(string text, IEnumerable<string> keys, string path = RootMarker.FileName)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(keys);

        // The marker is validated as the weaver reads it first, so the tree below has the shape the parser accepts.
        var existing = RootMarkerParser.Parse(text, path).IgnoreKeys.ToHashSet(StringComparer.Ordinal);
        var added = new List<string>();
        var present = new List<string>();
        foreach (var raw in keys)
        {
            var key = raw.Trim();
            if (key.Length == 0 || key.Any(char.IsControl))
            {
                throw new ArgumentException($"'{raw}' is not a key: keys are non-empty and hold no control characters.", nameof(keys));
            }

            if (existing.Contains(key))
            {
                if (!present.Contains(key, StringComparer.Ordinal))
                {
                    present.Add(key);
                }
            }
            else if (!added.Contains(key, StringComparer.Ordinal))
            {
                added.Add(key);
            }
        }

        if (added.Count == 0)
        {
            return new RootMarkerEdit(text, added, present);
        }

        var document = SyntaxParser.Parse(text, path, true);
        var newLine = text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
        var table = document.Tables.OfType<TableSyntax>().FirstOrDefault();
        var edited = table switch
        {
            null => AppendTable(text, added, newLine),
            _ => table.Items.FirstOrDefault(i => KeyText(i.Key) == "keys") is { Value: ArraySyntax array }
                ? AppendToArray(text, array, added, newLine)
                : AddKeysEntry(text, table, added, newLine),
        };
        return new RootMarkerEdit(edited, added, present);
    }

    private static string AppendTable(string text, List<string> keys, string newLine)
    {
        var builder = new StringBuilder(text);
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            builder.Append(newLine);
        }

        // A blank line sets the new table apart from what the user wrote above it.
        if (text.Trim().Length > 0 && !text.EndsWith(newLine + newLine, StringComparison.Ordinal))
        {
            builder.Append(newLine);
        }

        return builder.Append("[ignore]").Append(newLine).Append(InlineArrayEntry(keys)).Append(newLine).ToString();
    }

    // After the table's last entry (its trailing comment included), or after the header when the table is empty.
    private static string AddKeysEntry(string text, TableSyntax table, List<string> keys, string newLine)
    {
        var after = table.Items.ChildrenCount > 0 ? (SyntaxNode)table.Items.GetChild(table.Items.ChildrenCount - 1)! : table.EndOfLineToken;
        var position = after is null ? text.Length : EndOf(after);
        var line = InlineArrayEntry(keys) + newLine;
        return position > 0 && text[position - 1] == '\n'
            ? text.Insert(position, line)
            : text.Insert(position, newLine + line);
    }

    private static string AppendToArray(string text, ArraySyntax array, List<string> keys, string newLine)
    {
        var open = EndOf(array.OpenBracket!);
        var close = array.CloseBracket!.Span.Start.Offset;
        var multiLine = text.AsSpan(open, close - open).Contains('\n');
        var items = Enumerable.Range(0, array.Items.ChildrenCount).Select(i => array.Items.GetChild(i)!).ToList();
        if (!multiLine)
        {
            return items.Count == 0
                ? text[..open] + string.Join(", ", keys.Select(Quote)) + text[close..]
                : text.Insert(EndOf(items[^1].Value!), string.Concat(keys.Select(k => ", " + Quote(k))));
        }

        if (items.Count == 0)
        {
            var lineStart = text.LastIndexOf('\n', close - 1) + 1;
            var entries = string.Concat(keys.Select(k => DefaultIndent + Quote(k) + "," + newLine));
            return text.Insert(lineStart, entries);
        }

        var last = items[^1];
        var indent = IndentOf(text, last.Value!) ?? IndentOf(text, items[0].Value!) ?? DefaultIndent;
        var trailingComma = last.Comma is not null;
        var lastEnd = trailingComma ? EndOf(last.Comma!) : EndOf(last.Value!);

        // "x", "y"] with the bracket on the last key's line: the new keys go before the bracket, in the same style.
        if (!text.AsSpan(lastEnd, close - lastEnd).Contains('\n'))
        {
            var tail = string.Join("," + newLine + indent, keys.Select(Quote));
            return text.Insert(lastEnd, (trailingComma ? "" : ",") + newLine + indent + tail + (trailingComma ? "," : ""));
        }

        var insertAt = text.IndexOf('\n', lastEnd) + 1;
        var lines = new StringBuilder();
        for (var i = 0; i < keys.Count; i++)
        {
            var comma = i < keys.Count - 1 || trailingComma ? "," : "";
            lines.Append(indent).Append(Quote(keys[i])).Append(comma).Append(newLine);
        }

        // The later insertion first, so the earlier offset still holds.
        var edited = text.Insert(insertAt, lines.ToString());
        return trailingComma ? edited : edited.Insert(lastEnd, ",");
    }

    // The white space before the node when it starts its line; null when something else comes first.
    private static string? IndentOf(string text, SyntaxNode node)
    {
        var start = node.Span.Start.Offset;
        var lineStart = text.LastIndexOf('\n', Math.Max(0, start - 1)) + 1;
        var prefix = text[lineStart..start];
        return prefix.Length > 0 && prefix.All(c => c is ' ' or '\t') ? prefix : null;
    }

    private static string InlineArrayEntry(List<string> keys) => $"keys = [{string.Join(", ", keys.Select(Quote))}]";

    // Tomlyn's spans end on their last character.
    private static int EndOf(SyntaxNode node) => node.Span.End.Offset + 1;

    private static string KeyText(KeySyntax? key) => key?.ToString()?.Trim() ?? "";

    // A TOML basic string.
    private static string Quote(string value)
    {
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => builder.Append("\\\""),
                '\\' => builder.Append("\\\\"),
                _ when char.IsControl(c) => builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture)),
                _ => builder.Append(c),
            };
        }

        return builder.Append('"').ToString();
    }
}
