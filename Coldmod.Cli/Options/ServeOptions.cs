using CommandLine;

namespace Coldmod.Cli.Options;

[Verb("serve", HelpText = "Run the Coldmod server (gRPC and web UI, heatmap in SQLite) until Ctrl+C.")]
internal sealed class ServeOptions
{
    internal static IReadOnlyList<string> Details { get; } =
    [
        "Usage: coldmod serve",
        "",
        "Runs the Coldmod backend in this process until Ctrl+C or SIGTERM: the gRPC services that woven apps",
        "report to and that 'coldmod fetch' and 'coldmod reset' read, and the web UI with the live heatmap.",
        "It is configured by environment variables (an empty one counts as unset):",
        "  COLDMOD_GRPC_HOST         host:port of the gRPC listener (default 127.0.0.1:7777)",
        "  COLDMOD_WEB_HOST          host:port of the web UI (default 127.0.0.1:7778)",
        "  COLDMOD_STORE             the SQLite file of the heatmap (default coldmod.db in the working directory)",
        "  COLDMOD_INSECURE          'on' for plain HTTP without an API key (local use only); otherwise TLS and a key",
        "  COLDMOD_API_KEY           the bearer key gRPC clients send; the web UI's password (user coldmod)",
        "  COLDMOD_TLS_CERT          the server's certificate (PEM), required unless COLDMOD_INSECURE=on",
        "  COLDMOD_TLS_KEY           the certificate's private key (PEM)",
        "  COLDMOD_MAX_MESSAGE_SIZE  the largest gRPC message accepted, in bytes (default 16 MiB)",
        "  COLDMOD_LOG_LEVEL         Coldmod's own log level: trace, debug, information (default), warning, error,",
        "                            critical or none",
        "ASP.NET Core and gRPC log only warnings and errors, not every request; the usual variables still override",
        "that, e.g. Logging__LogLevel__Microsoft.AspNetCore=Information.",
        "",
        "Exit codes: 0 stopped cleanly; 1 could not start (the reason is printed as one line); 2 a bad COLDMOD_LOG_LEVEL.",
    ];
}
