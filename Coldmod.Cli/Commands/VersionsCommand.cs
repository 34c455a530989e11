using System.Globalization;
using Coldmod.Cli.Internal;
using Coldmod.Cli.Options;
using Coldmod.Protocol;

namespace Coldmod.Cli.Commands;

internal sealed class VersionsCommand(CommandContext context) : ICommand<VersionsOptions>
{
    public int Execute(VersionsOptions options)
    {
        using var server = ServerClient.Connect(options.GrpcHost, context);
        var app = server.ResolveApp(options.App);
        var reply = server.Call(() => server.Ops.Versions(new VersionsRequest { App = app }, server.CallOptions()), app);
        var rows = reply.Versions.Select(v => new[]
        {
            (v.Current ? "* " : "  ") + v.Id,
            v.Label.Length == 0 ? "-" : v.Label,
            Time(v.FirstSeen),
            Time(v.LastSeen),
            v.Processes.ToString(CultureInfo.InvariantCulture),
            v.Srcs.ToString(CultureInfo.InvariantCulture),
        }).ToList();
        string[] heading = ["  version", "label", "first seen", "last seen", "processes", "srcs"];
        var widths = Enumerable.Range(0, heading.Length).Select(c => rows.Append(heading).Max(r => r[c].Length)).ToArray();
        foreach (var row in rows.Prepend(heading))
        {
            context.Out.WriteLine(string.Join("  ", row.Select((cell, c) => c >= 4 ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]))).TrimEnd());
        }

        var days = TimeSpan.FromSeconds(reply.RetentionSeconds).TotalDays;
        context.Error.WriteLine($"{Plural.Count(reply.Versions.Count, "version")} of {app}; a version silent for {days.ToString("0.##", CultureInfo.InvariantCulture)} days is dropped unless current");
        return ExitCodes.Success;
    }

    private static string Time(Google.Protobuf.WellKnownTypes.Timestamp? time) =>
        time is null ? "-" : time.ToDateTimeOffset().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
