using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Coldmod.Cli.Internal;
using Coldmod.Cli.Options;
using Coldmod.Protocol;
using Coldmod.Weaver;

namespace Coldmod.Cli.Commands;

internal sealed class FetchCommand(CommandContext context) : ICommand<FetchOptions>
{
    private const string NotFoundHeading = "(not found locally)";
    private const string OlderHeading = "(only in older versions)";

    // Keys and paths are printed as they are (the backticks of generic keys included), not \u-escaped as for HTML.
    private static readonly JsonWriterOptions s_jsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // From the server only: a heatmap file has no times. Keyed by key.
    private readonly Dictionary<string, SeenTimes> _times = new(StringComparer.Ordinal);

    public int Execute(FetchOptions options)
    {
        var json = OutputIsJson(options.Format);
        var builds = LocalBuilds.FromOptions(options, context);
        IReadOnlyList<HeatmapEntry> heatmap;
        var served = ServedHeatmap.None;
        if (options.From is null)
        {
            using var server = ServerClient.Connect(options.GrpcHost, context);
            served = FetchFromServer(server, options.App, _times);
            heatmap = served.Entries;
        }
        else if (TryReadFile(options, out heatmap))
        {
            served = ServedHeatmap.FromFile(heatmap);
        }
        else
        {
            return ExitCodes.Failure;
        }

        var local = builds.Read();
        foreach (var warning in local.Warnings)
        {
            context.Error.WriteLine(warning);
        }

        var rows = HeatmapRows.Reconcile(heatmap, local);
        var shown = rows.Local.Where(r => options.All || r.Count == 0).ToList();
        var notFound = rows.NotFoundLocally.Where(e => !served.OlderOnly.Contains(e.Key)).ToList();
        var older = rows.NotFoundLocally.Where(e => served.OlderOnly.Contains(e.Key)).ToList();
        if (json)
        {
            WriteJson(shown, older, served);
        }
        else
        {
            WriteText(shown, notFound, older, served);
        }

        context.Error.WriteLine(Summary(rows, notFound.Count, older.Count));
        return ExitCodes.Success;
    }

    private bool TryReadFile(FetchOptions options, out IReadOnlyList<HeatmapEntry> heatmap)
    {
        heatmap = [];
        if (options.From!.Trim().Length == 0)
        {
            throw new UsageException("--from needs a file name.");
        }

        if (options.GrpcHost is not null || options.App is not null)
        {
            throw new UsageException("--from reads a heatmap file; --grpc-host and --app are for fetching from a server.");
        }

        try
        {
            heatmap = HeatmapFile.Read(context.FullPath(options.From));
            return true;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            context.Error.WriteLine(DiagnosticText.PlainError(e.Message));
            return false;
        }
    }

    // Always every src, hot ones included: the cold-only filter is applied after reconciling, since a key the server
    // counts as hot must not come out as a local src with count 0. Keys only older builds have count too (a local
    // checkout may be older than the newest build), but when not local they are listed apart, not as not found.
    private static ServedHeatmap FetchFromServer(ServerClient server, string? appOption, Dictionary<string, SeenTimes> times)
    {
        var app = server.ResolveApp(appOption);
        var reply = server.Call(() => server.Traces.Fetch(new FetchRequest { App = app, All = true }, server.CallOptions()), app);
        foreach (var src in reply.Srcs.Concat(reply.OlderSrcs))
        {
            times[src.Key] = new SeenTimes(src.FirstSeen?.ToDateTimeOffset(), src.LastSeen?.ToDateTimeOffset(), src.TrackedSince?.ToDateTimeOffset());
        }

        var entries = reply.Srcs.Concat(reply.OlderSrcs)
            .Select(s => new HeatmapEntry(s.Key, (long)Math.Min(s.Count, long.MaxValue), s.File, (int)Math.Min(s.Line, int.MaxValue))
            {
                Label = s.Label.Length == 0 ? null : s.Label,
            })
            .ToList();
        var estimates = reply.Srcs.Concat(reply.OlderSrcs)
            .Where(s => s.Estimated > 0)
            .ToDictionary(s => s.Key, s => new Estimate((long)Math.Min(s.Estimated, long.MaxValue), s.EstimateError), StringComparer.Ordinal);
        return new ServedHeatmap(entries, reply.OlderSrcs.Select(s => s.Key).ToHashSet(StringComparer.Ordinal), estimates);
    }

    private static bool OutputIsJson(string? format) => format switch
    {
        null or "text" => false,
        "json" => true,
        _ => throw new UsageException($"--format '{format}' must be text or json."),
    };

    private void WriteText(List<HeatmapEntry> shown, List<HeatmapEntry> notFound, List<HeatmapEntry> older, ServedHeatmap served)
    {
        string? file = null;
        foreach (var row in shown)
        {
            if (!string.Equals(row.File, file, StringComparison.Ordinal))
            {
                file = row.File;
                context.Out.WriteLine(file);
            }

            context.Out.WriteLine(Line(row, served));
        }

        foreach (var (heading, entries) in new[] { (NotFoundHeading, notFound), (OlderHeading, older) })
        {
            if (entries.Count == 0)
            {
                continue;
            }

            context.Out.WriteLine(heading);
            foreach (var entry in entries)
            {
                context.Out.WriteLine(Line(entry, served));
            }
        }
    }

    private void WriteJson(List<HeatmapEntry> shown, List<HeatmapEntry> older, ServedHeatmap served)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_jsonOptions))
        {
            writer.WriteStartObject();
            foreach (var (name, entries) in new[] { ("entries", shown), ("older_versions", older) })
            {
                writer.WriteStartArray(name);
                foreach (var row in entries)
                {
                    var estimate = served.Estimates.GetValueOrDefault(row.Key);
                    writer.WriteStartObject();
                    writer.WriteString("key", row.Key);
                    writer.WriteNumber("count", row.Count);
                    writer.WriteNumber("estimated", estimate.Estimated);
                    writer.WriteNumber("estimate_error", estimate.Error);
                    writer.WriteString("file", row.File);
                    writer.WriteNumber("line", row.Line);
                    if (row.Label is not null)
                    {
                        writer.WriteString("label", row.Label);
                    }

                    if (_times.TryGetValue(row.Key, out var times))
                    {
                        WriteTime(writer, "first_seen", times.FirstSeen);
                        WriteTime(writer, "last_seen", times.LastSeen);
                        WriteTime(writer, "tracked_since", times.TrackedSince);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        context.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    // An entry point reads as what it is to the outside, `0  GET /todos/{id}  Todos/TodoApi.cs:29`, its key after.
    private string Line(HeatmapEntry entry, ServedHeatmap served)
    {
        var count = CountText(entry.Count, served.Estimates.GetValueOrDefault(entry.Key));
        return entry.Label is null
            ? $"  {count}  {entry.Key}  {entry.Location}{Seen(entry)}"
            : $"  {count}  {entry.Label}  {entry.Location}  {entry.Key}{Seen(entry)}";
    }

    // "last seen …" or "never called in N days", when the server said.
    private string Seen(HeatmapEntry entry)
    {
        if (!_times.TryGetValue(entry.Key, out var times))
        {
            return "";
        }

        if (entry.Count > 0 && times.LastSeen is { } last)
        {
            return $"  last seen {Iso(last)}";
        }

        if (entry.Count == 0 && times.TrackedSince is { } since)
        {
            var days = Math.Max(0, (int)(DateTimeOffset.UtcNow - since).TotalDays);
            return days == 1 ? "  never called in 1 day" : $"  never called in {days.ToString(CultureInfo.InvariantCulture)} days";
        }

        return "";
    }

    private static void WriteTime(Utf8JsonWriter writer, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            writer.WriteString(name, Iso(t));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record SeenTimes(DateTimeOffset? FirstSeen, DateTimeOffset? LastSeen, DateTimeOffset? TrackedSince);

    // An exact count as it is; one with an estimated part as ~12,345 (±1.2%), the relative standard error.
    internal static string CountText(long count, Estimate estimate)
    {
        if (estimate.Estimated <= 0 || count <= 0)
        {
            return count.ToString(CultureInfo.InvariantCulture);
        }

        var percent = 100.0 * estimate.Error / count;
        return $"~{count.ToString("N0", CultureInfo.InvariantCulture)} (±{percent.ToString(percent < 10 ? "0.0" : "0", CultureInfo.InvariantCulture)}%)";
    }

    private static string Summary(HeatmapRows rows, int notFound, int older)
    {
        var total = rows.Local.Count;
        var cold = rows.Local.Count(r => r.Count == 0);
        var summary = $"{cold} cold of {Plural.Count(total, "src")}";
        if (total > 0)
        {
            var percent = (int)Math.Round(100.0 * cold / total, MidpointRounding.AwayFromZero);
            summary += $" ({percent}%)";
        }

        if (notFound > 0)
        {
            summary += $"; {Plural.Count(notFound, "heatmap key")} not found locally";
        }

        if (older > 0)
        {
            summary += $"; {Plural.Count(older, "key")} only in older versions";
        }

        return summary;
    }
}
