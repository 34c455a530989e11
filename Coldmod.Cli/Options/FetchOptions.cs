using CommandLine;

namespace Coldmod.Cli.Options;

[Verb("fetch", HelpText = "Show the cold srcs of a heatmap (every src with --all), reconciled with the local builds.")]
internal sealed class FetchOptions : BuildOptions
{
    internal static IReadOnlyList<string> Details { get; } =
    [
        "Usage: coldmod fetch [--grpc-host HOST:PORT] [--app NAME] [--all] [--format text|json]",
        "       coldmod fetch --from FILE [--all] [--format text|json]",
        "             [-c NAME | -a PATH...] [--source-root MAPPED=LOCAL...] [-v]   (either form)",
        "",
        "Shows the methods that never ran (with --all, every method and its call count), from a heatmap reconciled",
        "with the srcs of the local builds, which are read as 'coldmod srcs' reads them. The heatmap comes from the",
        "Coldmod server ('coldmod serve') at --grpc-host, COLDMOD_GRPC_HOST or 127.0.0.1:7777, or with --from from a",
        "file that woven apps write when they exit if COLDMOD_HEATMAP_FILE=FILE is set (runs sharing one file add up).",
        "The server connection follows the environment, as the traced apps do: COLDMOD_INSECURE=on for plain HTTP,",
        "otherwise TLS (COLDMOD_TLS_CA=FILE trusts a private CA) with the bearer key COLDMOD_API_KEY.",
        "--app names the app; without it the server must know exactly one.",
        "",
        "Reconciling: each src is shown at its file:line in the local build, so moved code shows where it is now.",
        "A local src missing from the heatmap (its assembly was never loaded in the run) counts 0, so it is cold.",
        "A heatmap key no local build has (renamed, removed, or built elsewhere) is listed last, under",
        "'(not found locally)' with the heatmap's file:line, whatever its count. Keys and files the rootmarker",
        "ignores are left out. The server's heatmap is that of the app's newest build (version), with counts from",
        "every build it keeps; keys only older builds have are listed last, under '(only in older versions)'.",
        "A count partly estimated by the probe (hot methods, above its exact bound) reads ~12,345 (±1.2%): the",
        "estimate's standard error relative to the count.",
        "",
        "Text output (stdout), one block per source file; files sorted ordinally, srcs by line, then key:",
        "src/Shop/Orders.cs",
        "  3  Shop.Orders.OrderService.Cancel(System.Int32)  src/Shop/Orders.cs:42",
        "  0  Shop.Orders.OrderService.Refund(System.Int32)  src/Shop/Orders.cs:57",
        "(not found locally)",
        "  5  Shop.Old.Gone  src/Shop/Old.cs:3",
        "A file line is a path relative to the root; each src line is two spaces, the call count, two spaces,",
        "the key, two spaces, and file:line. The count-3 line above is listed with --all only.",
        "",
        "JSON output (--format json): one object, the same srcs in the same order, without those not found locally;",
        "estimated is the estimated part of count and estimate_error its standard error (0 when exact):",
        "{\"entries\":[{\"key\":\"Shop.Cart.Add(System.Decimal)\",\"count\":0,\"estimated\":0,\"estimate_error\":0,",
        "  \"file\":\"src/Shop/Cart.cs\",\"line\":12}],\"older_versions\":[]}   (one line)",
        "",
        "Warnings and a summary line ('12 cold of 40 srcs (30%)') go to stderr.",
        "Exit codes: 0 done; 1 no build, an unreadable heatmap file, an unreachable or refusing server, an unknown",
        "app; 2 a bad command line, or --app missing while the server knows several apps.",
    ];

    [Option("from", MetaValue = "FILE",
        HelpText = "Read the heatmap from this file, as written by apps run with COLDMOD_HEATMAP_FILE=FILE.")]
    public string? From { get; set; }

    [Option("grpc-host", MetaValue = "HOST:PORT",
        HelpText = "Fetch from the Coldmod server at HOST:PORT, or a comma-separated list of its instances tried in order (default: COLDMOD_GRPC_HOST, or 127.0.0.1:7777).")]
    public string? GrpcHost { get; set; }

    [Option("app", MetaValue = "NAME", HelpText = "The app whose heatmap to fetch (default: the only app the server knows).")]
    public string? App { get; set; }

    [Option("all", HelpText = "List every src with its call count, not only the cold ones (count 0).")]
    public bool All { get; set; }

    [Option("format", MetaValue = "text|json", HelpText = "Print text (the default) or JSON.")]
    public string? Format { get; set; }
}
