using System.Text.Json;

namespace Coldmod.Weaver;

/// <summary>
/// Reads the heatmap file a woven app writes at exit when <c>COLDMOD_HEATMAP_FILE</c> names it (format 1):
/// <c>{"format":1,"entries":[{"key":"Shop.Orders.OrderService.Cancel(System.Int32)","count":3,"file":"src/Shop/Orders.cs","line":42}, ...]}</c>.
/// Every entry needs all four fields; other fields are ignored, so format 1 can grow without breaking readers.
/// </summary>
public static class HeatmapFile
{
    /// <summary>The format this reader understands.</summary>
    public const int Format = 1;

    /// <summary>Reads the heatmap file at <paramref name="path"/>, in the order it lists its entries.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a format 1 heatmap; the message names the file and the problem.</exception>
    public static IReadOnlyList<HeatmapEntry> Read(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new FileNotFoundException($"Heatmap file not found: {fullPath}", fullPath);
        }

        using var stream = File.OpenRead(fullPath);
        return Read(stream, fullPath);
    }

    /// <summary>Reads a heatmap from <paramref name="stream"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="InvalidDataException">The content is not a format 1 heatmap; the message names the source and the problem.</exception>
    public static IReadOnlyList<HeatmapEntry> Read(Stream stream, string source)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        if (stream.CanSeek && stream.Length == 0)
        {
            throw Malformed(source, "it is empty (no process that was run with COLDMOD_HEATMAP_FILE set to it has exited yet)");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw Malformed(source, $"it is not valid JSON ({e.Message})", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Malformed(source, "the top level is not an object");
            }

            if (!root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.Number)
            {
                throw Malformed(source, "\"format\" is missing or not a number");
            }

            if (!format.TryGetInt32(out var version) || version != Format)
            {
                throw Malformed(source, $"it is format {format.GetRawText()}, and this version of Coldmod reads format {Format}");
            }

            if (!root.TryGetProperty("entries", out var items) || items.ValueKind != JsonValueKind.Array)
            {
                throw Malformed(source, "\"entries\" is missing or not an array");
            }

            var entries = new List<HeatmapEntry>(items.GetArrayLength());
            var keys = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items.EnumerateArray())
            {
                var entry = ReadEntry(item, entries.Count, source);
                if (!keys.Add(entry.Key))
                {
                    throw Malformed(source, $"entries[{entries.Count}] repeats the key {entry.Key}");
                }

                entries.Add(entry);
            }

            return entries;
        }
    }

    private static HeatmapEntry ReadEntry(JsonElement item, int index, string source)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Malformed(source, $"entries[{index}] is not an object");
        }

        if (!item.TryGetProperty("key", out var key) || key.ValueKind != JsonValueKind.String || key.GetString()!.Length == 0)
        {
            throw Malformed(source, $"entries[{index}].key is missing, empty or not a string");
        }

        var name = key.GetString()!;
        if (!item.TryGetProperty("count", out var count) || count.ValueKind != JsonValueKind.Number
            || !count.TryGetInt64(out var calls) || calls < 0)
        {
            throw Malformed(source, $"entries[{index}].count ({name}) is missing or not a non-negative integer");
        }

        if (!item.TryGetProperty("file", out var file) || file.ValueKind != JsonValueKind.String)
        {
            throw Malformed(source, $"entries[{index}].file ({name}) is missing or not a string");
        }

        if (!item.TryGetProperty("line", out var line) || line.ValueKind != JsonValueKind.Number
            || !line.TryGetInt32(out var lineNumber) || lineNumber < 1)
        {
            throw Malformed(source, $"entries[{index}].line ({name}) is missing or not a positive integer");
        }

        long estimated = 0;
        if (item.TryGetProperty("estimated", out var estimatedPart)
            && (estimatedPart.ValueKind != JsonValueKind.Number || !estimatedPart.TryGetInt64(out estimated) || estimated < 0 || estimated > calls))
        {
            throw Malformed(source, $"entries[{index}].estimated ({name}) is not an integer between 0 and the count");
        }

        double error = 0;
        if (item.TryGetProperty("estimate_error", out var errorPart)
            && (errorPart.ValueKind != JsonValueKind.Number || !errorPart.TryGetDouble(out error) || !(error >= 0) || double.IsInfinity(error)))
        {
            throw Malformed(source, $"entries[{index}].estimate_error ({name}) is not a non-negative number");
        }

        return new HeatmapEntry(name, calls, file.GetString()!, lineNumber, estimated, error);
    }

    private static InvalidDataException Malformed(string source, string problem, Exception? inner = null) =>
        new($"Heatmap file {source} is malformed: {problem}.", inner);
}
