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

    // Keys and paths are printed as they are (the backticks of generic keys included), not \u-escaped as for HTML.
    private static readonly JsonWriterOptions s_jsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public int Execute(FetchOptions options)
    {
        var json = OutputIsJson(options.Format);
        var builds = LocalBuilds.FromOptions(options, context);
        IReadOnlyList<HeatmapEntry> heatmap;
        if (options.From is null)
        {
            using var server = ServerClient.Connect(options.GrpcHost, context);
            heatmap = FetchFromServer(server, options.App);
        }
        else if (!TryReadFile(options, out heatmap))
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
        if (json)
        {
            WriteJson(shown);
        }
        else
        {
            WriteText(shown, rows.NotFoundLocally);
        }

        context.Error.WriteLine(Summary(rows));
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
    // counts as hot must not come out as a local src with count 0.
    private static List<HeatmapEntry> FetchFromServer(ServerClient server, string? appOption)
    {
        var app = server.ResolveApp(appOption);
        var reply = server.Call(() => server.Traces.Fetch(new FetchRequest { App = app, All = true }, server.CallOptions()), app);
        return reply.Srcs
            .Select(s => new HeatmapEntry(s.Key, (long)Math.Min(s.Count, long.MaxValue), s.File, (int)Math.Min(s.Line, int.MaxValue))
            {
                Label = s.Label.Length == 0 ? null : s.Label,
            })
            .ToList();
    }

    private static bool OutputIsJson(string? format) => format switch
    {
        null or "text" => false,
        "json" => true,
        _ => throw new UsageException($"--format '{format}' must be text or json."),
    };

    private void WriteText(List<HeatmapEntry> shown, IReadOnlyList<HeatmapEntry> notFound)
    {
        string? file = null;
        foreach (var row in shown)
        {
            if (!string.Equals(row.File, file, StringComparison.Ordinal))
            {
                file = row.File;
                context.Out.WriteLine(file);
            }

            context.Out.WriteLine(Line(row));
        }

        if (notFound.Count > 0)
        {
            context.Out.WriteLine(NotFoundHeading);
            foreach (var entry in notFound)
            {
                context.Out.WriteLine(Line(entry));
            }
        }
    }

    private void WriteJson(List<HeatmapEntry> shown)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, s_jsonOptions))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("entries");
            foreach (var row in shown)
            {
                writer.WriteStartObject();
                writer.WriteString("key", row.Key);
                writer.WriteNumber("count", row.Count);
                writer.WriteString("file", row.File);
                writer.WriteNumber("line", row.Line);
                if (row.Label is not null)
                {
                    writer.WriteString("label", row.Label);
                }
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        context.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    // An entry point reads as what it is to the outside, `0  GET /todos/{id}  Todos/TodoApi.cs:29`, its key after.
    private static string Line(HeatmapEntry entry) => entry.Label is null
        ? $"  {entry.Count.ToString(CultureInfo.InvariantCulture)}  {entry.Key}  {entry.Location}"
        : $"  {entry.Count.ToString(CultureInfo.InvariantCulture)}  {entry.Label}  {entry.Location}  {entry.Key}";

    private static string Summary(HeatmapRows rows)
    {
        var total = rows.Local.Count;
        var cold = rows.Local.Count(r => r.Count == 0);
        var summary = $"{cold} cold of {Plural.Count(total, "src")}";
        if (total > 0)
        {
            var percent = (int)Math.Round(100.0 * cold / total, MidpointRounding.AwayFromZero);
            summary += $" ({percent}%)";
        }

        if (rows.NotFoundLocally.Count > 0)
        {
            summary += $"; {Plural.Count(rows.NotFoundLocally.Count, "heatmap key")} not found locally";
        }

        return summary;
    }
}
