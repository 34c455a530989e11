using CommandLine;

namespace Coldmod.Cli.Options;

[Verb("versions", HelpText = "List the builds (versions) of an app that the server keeps, newest last.")]
internal sealed class VersionsOptions
{
    internal static IReadOnlyList<string> Details { get; } =
    [
        "Usage: coldmod versions [--grpc-host HOST:PORT] [--app NAME]",
        "",
        "Lists the versions of the app (--app, or the only app the server knows): one line per build, oldest first,",
        "the current one (the build first seen last, whose keys 'coldmod fetch' shows) marked '*'. A version id is a",
        "hash of the build's srcs; its label is COLDMOD_VERSION as the app's processes set it. Columns: id, label,",
        "first seen, last seen (UTC), process starts, srcs. A version silent for the server's retention",
        "(COLDMOD_VERSION_RETENTION, 14 days by default) is dropped, unless it is current; 'coldmod reset --version",
        "ID --confirm' drops one now. The server is reached as 'coldmod fetch' reaches it.",
        "Exit codes: 0 done; 1 an unreachable or refusing server, an unknown app; 2 a bad command line, or --app",
        "missing while the server knows several apps.",
    ];

    [Option("grpc-host", MetaValue = "HOST:PORT",
        HelpText = "The Coldmod server at HOST:PORT, or a comma-separated list of its instances tried in order (default: COLDMOD_GRPC_HOST, or 127.0.0.1:7777).")]
    public string? GrpcHost { get; set; }

    [Option("app", MetaValue = "NAME", HelpText = "The app whose versions to list (default: the only app the server knows).")]
    public string? App { get; set; }
}
