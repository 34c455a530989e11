using CommandLine;

namespace Coldmod.Cli.Options;

[Verb("reset", HelpText = "Set an app's counts on the server back to zero (--all: delete every app; --version ID: drop one build); needs --confirm.")]
internal sealed class ResetOptions
{
    internal static IReadOnlyList<string> Details { get; } =
    [
        "Usage: coldmod reset [--all | --version ID] --confirm [--grpc-host HOST:PORT] [--app NAME]",
        "",
        "Sets every count of the app (--app, or the only app the server knows) back to zero and clears its first",
        "and last seen times; its srcs stay. With --all, deletes every app on the server with its srcs and counts.",
        "With --version ID, drops that build of the app (ids as 'coldmod versions' lists them) with the keys and",
        "counts only it had; when it was current, the newest remaining build becomes current.",
        "None can be undone, so --confirm is required. The server is reached as 'coldmod fetch' reaches it.",
        "Prints what was reset, e.g. 'reset the heatmap of Shop: 40 srcs back to 0'.",
        "Exit codes: 0 done; 1 an unreachable or refusing server, an unknown app; 2 a bad command line, no",
        "--confirm, or --app missing while the server knows several apps.",
    ];

    [Option("all", HelpText = "Delete every app, with its srcs and counts, instead of resetting one app's counts.")]
    public bool All { get; set; }

    [Option("version", MetaValue = "ID", HelpText = "Drop this version of the app (see 'coldmod versions') instead of resetting its counts.")]
    public string? Version { get; set; }

    [Option("confirm", HelpText = "Required: the reset cannot be undone.")]
    public bool Confirm { get; set; }

    [Option("grpc-host", MetaValue = "HOST:PORT",
        HelpText = "The Coldmod server at HOST:PORT, or a comma-separated list of its instances tried in order (default: COLDMOD_GRPC_HOST, or 127.0.0.1:7777).")]
    public string? GrpcHost { get; set; }

    [Option("app", MetaValue = "NAME", HelpText = "The app to reset (default: the only app the server knows).")]
    public string? App { get; set; }
}
