using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Coldmod.Cli.Internal;
using Coldmod.Cli.Options;
using Coldmod.Protocol;

namespace Coldmod.Cli.Commands;

internal sealed class StatusCommand(CommandContext context) : ICommand<StatusOptions>
{
    public int Execute(StatusOptions options)
    {
        var json = options.Format switch
        {
            null or "text" => false,
            "json" => true,
            _ => throw new UsageException($"--format '{options.Format}' must be text or json."),
        };
        if (options.App is { } name && name.Trim().Length == 0)
        {
            throw new UsageException("--app needs an app name.");
        }

        using var server = ServerClient.Connect(options.GrpcHost, context);
        var status = server.Call(() => server.Ops.Status(new StatusRequest { App = options.App ?? "" }, server.CallOptions()), options.App);
        if (json)
        {
            WriteJson(status);
        }
        else
        {
            WriteText(status, server.Address);
        }

        return ExitCodes.Success;
    }

    private void WriteText(StatusReply status, string address)
    {
        var percent = status.Srcs == 0 ? 0 : 100.0 * status.Cold / status.Srcs;
        context.Out.WriteLine($"server      {address}");
        context.Out.WriteLine($"apps        {(status.Apps.Count == 0 ? "(none)" : string.Join(", ", status.Apps))}");
        context.Out.WriteLine($"srcs        {N(status.Srcs)}");
        context.Out.WriteLine($"cold        {N(status.Cold)} ({percent.ToString("0", CultureInfo.InvariantCulture)}%)");
        context.Out.WriteLine($"hits        {N(status.HitsTotal)}");
        context.Out.WriteLine($"unknown-key {N(status.UnknownKeyHits)} hits");
        context.Out.WriteLine($"batches     {N(status.BatchesApplied)} applied, {N(status.DuplicateBatches)} duplicate");
        context.Out.WriteLine($"CLIs        {N(status.ModClients)} connected");
    }

    private void WriteJson(StatusReply status)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("apps");
            foreach (var app in status.Apps)
            {
                writer.WriteStringValue(app);
            }

            writer.WriteEndArray();
            writer.WriteNumber("srcs", status.Srcs);
            writer.WriteNumber("cold", status.Cold);
            writer.WriteNumber("hits", status.HitsTotal);
            writer.WriteNumber("unknown_key_hits", status.UnknownKeyHits);
            writer.WriteNumber("batches_applied", status.BatchesApplied);
            writer.WriteNumber("duplicate_batches", status.DuplicateBatches);
            writer.WriteNumber("connected_clis", status.ModClients);
            writer.WriteEndObject();
        }

        context.Out.WriteLine(Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static string N(ulong value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
