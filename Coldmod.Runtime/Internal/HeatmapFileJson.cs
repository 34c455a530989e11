using System.Text.Encodings.Web;
using System.Text.Json;

namespace Coldmod.Runtime.Internal;

// The offline heatmap, as `coldmod fetch --from` reads it:
// {"format":1,"entries":[{"key":"N.T.M(System.Int32)","count":3,"file":"src/N/T.cs","line":42}, ...]}
// A count that is partly estimated also has "estimated" (that part, at most count) and "estimate_error" (its standard
// error, in calls); both are absent when the count is exact.
// The reader exists only to add this run's counts to an earlier run's file, and rejects anything it could not
// write back unchanged, so a file it does not understand is never overwritten.
internal static class HeatmapFileJson
{
    public const int Format = 1;

    // Keys and paths are written as they are (the backticks of generic keys included), not \u-escaped as for HTML.
    private static readonly JsonWriterOptions s_writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(Stream stream, IEnumerable<HeatmapFileEntry> entries)
    {
        using var writer = new Utf8JsonWriter(stream, s_writerOptions);
        writer.WriteStartObject();
        writer.WriteNumber("format", Format);
        writer.WriteStartArray("entries");
        foreach (var entry in entries)
        {
            writer.WriteStartObject();
            writer.WriteString("key", entry.Key);
            writer.WriteNumber("count", entry.Count);
            writer.WriteString("file", entry.File);
            writer.WriteNumber("line", entry.Line);
            if (entry.Estimated > 0)
            {
                writer.WriteNumber("estimated", entry.Estimated);
                writer.WriteNumber("estimate_error", Math.Round(entry.EstimateError, 1));
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    // Throws InvalidDataException naming the problem.
    public static List<HeatmapFileEntry> Read(byte[] content)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(content);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"it is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("the top level is not an object");
            }

            if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.Number)
            {
                throw new InvalidDataException("\"format\" is missing or not a number");
            }

            if (!format.TryGetInt32(out var version) || version != Format)
            {
                throw new InvalidDataException($"it is format {format.GetRawText()}, and this runtime writes format {Format}");
            }

            if (!root.TryGetProperty("entries", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException("\"entries\" is missing or not an array");
            }

            var entries = new List<HeatmapFileEntry>(items.GetArrayLength());
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items.EnumerateArray())
            {
                var entry = ReadEntry(item, entries.Count);
                if (!keys.Add(entry.Key))
                {
                    throw new InvalidDataException($"entries[{entries.Count}] repeats the key {entry.Key}");
                }

                entries.Add(entry);
            }

            return entries;
        }
    }

    private static HeatmapFileEntry ReadEntry(JsonElement item, int index)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"entries[{index}] is not an object");
        }

        if (!item.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String || key.GetString()!.Length == 0)
        {
            throw new InvalidDataException($"entries[{index}].key is missing, empty or not a string");
        }

        var name = key.GetString()!;
        if (!item.TryGetProperty("count", out var count) || count.ValueKind != JsonValueKind.Number
            || !count.TryGetInt64(out var calls) || calls < 0)
        {
            throw new InvalidDataException($"entries[{index}].count ({name}) is missing or not a non-negative integer");
        }

        if (!item.TryGetProperty("file", out var file) || file.ValueKind != JsonValueKind.String)
        {
            throw new InvalidDataException($"entries[{index}].file ({name}) is missing or not a string");
        }

        if (!item.TryGetProperty("line", out var line) || line.ValueKind != JsonValueKind.Number
            || !line.TryGetInt32(out var lineNumber) || lineNumber < 1)
        {
            throw new InvalidDataException($"entries[{index}].line ({name}) is missing or not a positive integer");
        }

        long estimated = 0;
        if (item.TryGetProperty("estimated", out var estimatedPart)
            && (estimatedPart.ValueKind != JsonValueKind.Number || !estimatedPart.TryGetInt64(out estimated) || estimated < 0 || estimated > calls))
        {
            throw new InvalidDataException($"entries[{index}].estimated ({name}) is not an integer between 0 and the count");
        }

        double error = 0;
        if (item.TryGetProperty("estimate_error", out var errorPart)
            && (errorPart.ValueKind != JsonValueKind.Number || !errorPart.TryGetDouble(out error) || !(error >= 0) || double.IsInfinity(error)))
        {
            throw new InvalidDataException($"entries[{index}].estimate_error ({name}) is not a non-negative number");
        }

        return new HeatmapFileEntry(name, calls, file.GetString()!, lineNumber, estimated, error);
    }
}
