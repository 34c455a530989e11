using CommandLine;

namespace Coldmod.Cli.Options;

[Verb("status", HelpText = "Print the server's counters: apps, srcs, cold, hits, unknown-key hits, batches, connected CLIs.")]
internal sealed class StatusOptions
{
    internal static IReadOnlyList<string> Details { get; } =
    [
        "Usage: coldmod status [--app NAME] [--format text|json] [--grpc-host HOST:PORT]",
        "",
        "Prints the counters of every app on the server, summed, or of one app with --app. The server is reached",
        "as 'coldmod fetch' reaches it. json: {\"apps\",\"srcs\",\"cold\",\"hits\",\"unknown_key_hits\",",
        "\"batches_applied\",\"duplicate_batches\",\"connected_clis\"}.",
        "Exit codes: 0 done; 1 an unreachable or refusing server, an unknown app; 2 a bad command line.",
    ];

    [Option("app", MetaValue = "NAME", HelpText = "One app's counters (default: every app, summed).")]
    public string? App { get; set; }

    [Option("format", MetaValue = "text|json", HelpText = "Output format (default: text).")]
    public string? Format { get; set; }

    [Option("grpc-host", MetaValue = "HOST:PORT",
        HelpText = "The Coldmod server at HOST:PORT, or a comma-separated list of its instances tried in order (default: COLDMOD_GRPC_HOST, or 127.0.0.1:7777).")]
    public string? GrpcHost { get; set; }
}
