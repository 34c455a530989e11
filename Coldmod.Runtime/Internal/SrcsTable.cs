using System.Text.Json;

namespace Coldmod.Runtime.Internal;

// The srcs of one woven assembly, embedded in it as a manifest resource; the array index is the probe index.
// Format: {"format":2,"srcs":[{"key":"N.T.M(System.Int32)","file":"src/N/T.cs","line":42,"label":"GET /x"}, ...]};
// "label" only on entry points. Format 1 (no labels) is still read, so assemblies woven before stay readable.

internal sealed class SrcsTable
{
    public const string ResourceName = "Coldmod.Srcs";
    public const int Format = 2;

    private const int OldestReadableFormat = 1;

    private readonly SrcEntry[] _entries;

    public SrcsTable(IReadOnlyList<SrcEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
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
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        writer.WriteNumber("format", Format);
        writer.WriteStartArray("srcs");
        foreach (var entry in _entries)
        {
            writer.WriteStartObject();
            writer.WriteString("key", entry.Key);
            writer.WriteString("file", entry.File);
            writer.WriteNumber("line", entry.Line);
            if (entry.Label is not null)
            {
                writer.WriteString("label", entry.Label);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    public static SrcsTable Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw Malformed($"it is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed($"the top level is {Describe(root.ValueKind)}, not an object");
            }

            if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.Number)
            {
                throw Malformed("\"format\" is missing or not a number");
            }

            if (!format.TryGetInt32(out var version) || version < OldestReadableFormat || version > Format)
            {
                throw Malformed($"format {format.GetRawText()} is not supported; this runtime reads formats {OldestReadableFormat} to {Format}");
            }

            if (!root.TryGetProperty("srcs", out var srcs) || srcs.ValueKind != JsonValueKind.Array)
            {
                throw Malformed("\"srcs\" is missing or not an array");
            }

            var entries = new List<SrcEntry>(srcs.GetArrayLength());
            foreach (var item in srcs.EnumerateArray())
            {
                entries.Add(ReadEntry(item, entries.Count));
            }

            return new SrcsTable(entries);
        }
    }

    private static SrcEntry ReadEntry(JsonElement item, int index)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Malformed($"srcs[{index}] is {Describe(item.ValueKind)}, not an object");
        }

        var key = ReadString(item, "key", index);
        if (key.Length == 0)
        {
            throw Malformed($"srcs[{index}].key is empty");
        }

        var file = ReadString(item, "file", index);
        if (!item.TryGetProperty("line", out var line) || line.ValueKind != JsonValueKind.Number
            || !line.TryGetInt32(out var lineNumber) || lineNumber < 1)
        {
            throw Malformed($"srcs[{index}].line ({key}) is missing or not a positive integer");
        }

        string? label = null;
        if (item.TryGetProperty("label", out var labelValue))
        {
            label = labelValue.ValueKind == JsonValueKind.String
                ? labelValue.GetString()
                : throw Malformed($"srcs[{index}].label ({key}) is not a string");
        }

        return new SrcEntry(key, file, lineNumber, label);
    }

    private static string ReadString(JsonElement item, string name, int index)
    {
        if (!item.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            throw Malformed($"srcs[{index}].{name} is missing or not a string");
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

    private static InvalidDataException Malformed(string problem, Exception? inner = null) =>
        new($"Malformed {ResourceName} table: {problem}.", inner);
}
