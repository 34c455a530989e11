using CommandLine;

namespace Coldmod.Cli.Options;

[Verb("connect", HelpText = "Let the server's web page ignore, remove and open methods in this checkout, until Ctrl+C.")]
internal sealed class ConnectOptions : BuildOptions
{
    internal static IReadOnlyList<string> Details { get; } =
    [
        "Usage: coldmod connect [URL] [--grpc-host HOST:PORT] [--app NAME] [--web-host HOST:PORT] [--no-open]",
        "             [-c NAME | -a PATH...] [--source-root MAPPED=LOCAL...]",
        "",
        "Connects this checkout to the Coldmod server so that its web page can act on it. Without URL it opens a new",
        "connect session; with URL (http(s)://HOST/connect/ID as the page shows it, or just ID) it joins that session.",
        "It prints 'Connected: URL' (the session's page; opened with xdg-open when a display is available, unless",
        "--no-open) and stays in the foreground, printing one line for each command it carries out.",
        "",
        "It tells the page which methods the local build has (read as 'coldmod srcs' reads them), where each is",
        "declared and how many calls the built assemblies make to it (the IL scan of 'coldmod rm'), and sends it again",
        "when the build changes (checked every 2 seconds) and after each command that changed a file. From the page:",
        "  ignore   as 'coldmod ignore KEY...': adds the keys to ignore.keys in coldmod.rootmarker, comments kept;",
        "  remove   as 'coldmod rm KEY...' (a preview is 'coldmod rm --dry-run'); a refusal is shown verbatim;",
        "  open     starts $VISUAL, else $EDITOR, as 'EDITOR +LINE FILE', else 'code -g FILE:LINE' when VS Code is",
        "           on the PATH.",
        "A command is refused for a key the local build does not have, and while the build is stale: when a source",
        "file the build compiled has changed since (its checksum differs from the one in the PDB, the test 'coldmod rm'",
        "makes) or is gone. Build again (dotnet build -c Release) and the page can act again.",
        "",
        "The server and its API key are those of the other server verbs (COLDMOD_GRPC_HOST or --grpc-host, a comma-",
        "separated list tried in turn; COLDMOD_INSECURE, COLDMOD_API_KEY, COLDMOD_TLS_CA); the page's host is",
        "COLDMOD_WEB_HOST or --web-host, as for 'coldmod web'. --app names the app; without it the server must know",
        "exactly one. When the server goes away it reconnects (backoff with jitter, up to 10 s apart) and keeps its",
        "session, so an open page carries on. A session lives on the server instance the CLI is connected to.",
        "Ctrl+C (or SIGTERM) closes the connection and exits.",
        "Exit codes: 0 stopped by Ctrl+C; 1 no build, no rootmarker, an unreachable or refusing server, a session held",
        "by another CLI; 2 a bad command line or URL.",
    ];

    [Value(0, MetaName = "URL", HelpText = "The session to join: its page's URL (http(s)://HOST/connect/ID) or its ID. Without it, a new session.")]
    public string? Url { get; set; }

    [Option("grpc-host", MetaValue = "HOST:PORT",
        HelpText = "The Coldmod server at HOST:PORT, or a comma-separated list of its instances tried in order (default: COLDMOD_GRPC_HOST, or 127.0.0.1:7777).")]
    public string? GrpcHost { get; set; }

    [Option("app", MetaValue = "NAME", HelpText = "The app this checkout builds (default: the only app the server knows).")]
    public string? App { get; set; }

    [Option("web-host", MetaValue = "HOST:PORT", HelpText = "The server's web endpoint, for the page's URL (default: COLDMOD_WEB_HOST, or 127.0.0.1:7778).")]
    public string? WebHost { get; set; }

    [Option("no-open", HelpText = "Only print the page's URL.")]
    public bool NoOpen { get; set; }
}
