using CommandLine;

namespace Coldmod.Cli.Options;

[Verb("web", HelpText = "Print the URL of the server's heatmap page (and open it when a display is available).")]
internal sealed class WebOptions
{
    internal static IReadOnlyList<string> Details { get; } =
    [
        "Usage: coldmod web [--web-host HOST:PORT] [--no-open]",
        "",
        "Prints the page's URL: http:// when COLDMOD_INSECURE=on, https:// otherwise (the browser asks for the user",
        "coldmod and the API key as its password; the key is never put in the URL). With a display (DISPLAY or",
        "WAYLAND_DISPLAY set) it also opens the page with xdg-open, unless --no-open.",
        "Exit codes: 0 done; 2 a bad command line or web host.",
    ];

    [Option("web-host", MetaValue = "HOST:PORT", HelpText = "The server's web endpoint (default: COLDMOD_WEB_HOST, or 127.0.0.1:7778).")]
    public string? WebHost { get; set; }

    [Option("no-open", HelpText = "Only print the URL.")]
    public bool NoOpen { get; set; }
}
