using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Coldmod.Server.Model;

/// <summary>The rows of a view as CSV or JSON, for the page's downloads.</summary>
public static class HeatExport
{
    /// <summary>RFC 4180 CSV with a header line; times in ISO 8601 UTC, empty when never.</summary>
    public static string Csv(IEnumerable<HeatEntry> entries, BandScale scale, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(scale);
        var text = new StringBuilder("key,file,line,count,band,first_seen,last_seen,tracked_since,days_never_called,label\r\n");
        foreach (var entry in entries)
        {
            text.Append(Field(entry.Key)).Append(',')
                .Append(Field(entry.File)).Append(',')
                .Append(entry.Line.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(entry.Count.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(scale.Of(entry.Count).ToString().ToUpperInvariant()).Append(',')
                .Append(Iso(entry.FirstSeen)).Append(',')
                .Append(Iso(entry.LastSeen)).Append(',')
                .Append(Iso(entry.TrackedSince)).Append(',')
                .Append(entry.Count == 0 ? entry.DaysTracked(now).ToString(CultureInfo.InvariantCulture) : "").Append(',')
                .Append(Field(entry.Label))
                .Append("\r\n");
        }

        return text.ToString();
    }

    /// <summary><c>{"app", "entries": [{"key", "file", "line", "count", "band", "first_seen", "last_seen", "tracked_since", "label"}]}</c>; <c>label</c> only on entry points, as in <c>coldmod fetch</c>.</summary>
    public static byte[] Json(string app, IEnumerable<HeatEntry> entries, BandScale scale)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(scale);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("app", app);
            json.WriteStartArray("entries");
            foreach (var entry in entries)
            {
                json.WriteStartObject();
                json.WriteString("key", entry.Key);
                json.WriteString("file", entry.File);
                json.WriteNumber("line", entry.Line);
                json.WriteNumber("count", entry.Count);
                json.WriteString("band", scale.Of(entry.Count).ToString().ToUpperInvariant());
                WriteTime(json, "first_seen", entry.FirstSeen);
                WriteTime(json, "last_seen", entry.LastSeen);
                WriteTime(json, "tracked_since", entry.TrackedSince);
                if (entry.IsEntryPoint)
                {
                    json.WriteString("label", entry.Label);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static void WriteTime(Utf8JsonWriter json, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            json.WriteString(name, Iso(t));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Iso(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) ?? "";

    // Quoted when it holds a comma, a quote or a line break; a leading = + - @ is quoted too, so a spreadsheet
    // opening the file does not run it as a formula.
    private static string Field(string value)
    {
        var risky = value.Length > 0 && value[0] is '=' or '+' or '-' or '@';
        return risky || value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
    }
}
