using System.Text.Json;

namespace Coldmod.Runtime.Internal;

// Formats 1 and 2, written by Coldmod before the table became compact, read so that assemblies woven then still name
// their srcs: {"format":2,"srcs":[{"key":"N.T.M(System.Int32)","file":"src/N/T.cs","line":42,"label":"GET /x"}, ...]};
// "label" only on entry points, and only in format 2.
internal static class JsonSrcsFormat
{
    private const int NewestFormat = 2;

    // What a JSON text can start with: an object, whitespace, or a UTF-8 byte order mark.
    public static bool LooksLikeJson(byte first) => first is (byte)'{' or (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r' or 0xEF;

    public static List<SrcEntry> Read(byte[] content, int oldestFormat)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException e)
        {
            throw SrcsTable.Malformed($"it is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw SrcsTable.Malformed($"the top level is {Describe(root.ValueKind)}, not an object");
            }

            if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.Number)
            {
                throw SrcsTable.Malformed("\"format\" is missing or not a number");
            }

            if (!format.TryGetInt32(out var version) || version < oldestFormat || version > NewestFormat)
            {
                throw SrcsTable.Malformed($"format {format.GetRawText()} is not a JSON format; JSON tables are formats {oldestFormat} to {NewestFormat}");
            }

            if (!root.TryGetProperty("srcs", out var srcs) || srcs.ValueKind != JsonValueKind.Array)
            {
                throw SrcsTable.Malformed("\"srcs\" is missing or not an array");
            }

            var entries = new List<SrcEntry>(srcs.GetArrayLength());
            foreach (var item in srcs.EnumerateArray())
            {
                entries.Add(ReadEntry(item, entries.Count));
            }

            return entries;
        }
    }

    private static SrcEntry ReadEntry(JsonElement item, int index)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw SrcsTable.Malformed($"srcs[{index}] is {Describe(item.ValueKind)}, not an object");
        }

        var key = ReadString(item, "key", index);
        if (key.Length == 0)
        {
            throw SrcsTable.Malformed($"srcs[{index}].key is empty");
        }

        var file = ReadString(item, "file", index);
        if (!item.TryGetProperty("line", out var line) || line.ValueKind != JsonValueKind.Number
            || !line.TryGetInt32(out var lineNumber) || lineNumber < 1)
        {
            throw SrcsTable.Malformed($"srcs[{index}].line ({key}) is missing or not a positive integer");
        }

        string? label = null;
        if (item.TryGetProperty("label", out var labelValue))
        {
            label = labelValue.ValueKind == JsonValueKind.String
                ? labelValue.GetString()
                : throw SrcsTable.Malformed($"srcs[{index}].label ({key}) is not a string");
        }

        return new SrcEntry(key, file, lineNumber, label);
    }

    private static string ReadString(JsonElement item, string name, int index)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw SrcsTable.Malformed($"srcs[{index}].{name} is missing or not a string");
        }

        return value.GetString()!;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "empty",
    };
}
