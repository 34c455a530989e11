using System.Diagnostics;
using System.Globalization;
using Coldmod.Cli.Commands;

namespace Coldmod.Cli.Internal;

// Where the server's pages are for a browser on this machine, and opening one there: shared by `web` and `connect`.
internal static class WebPage
{
    public const string DefaultHost = "127.0.0.1:7778";

    // The page's base URL ending in '/': http:// when COLDMOD_INSECURE=on, https:// otherwise.
    public static string BaseUrl(string? webHost, CommandContext context)
    {
        var host = webHost ?? context.Setting("COLDMOD_WEB_HOST") ?? DefaultHost;
        var colon = host.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(host[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new UsageException($"the web host '{host}' is not HOST:PORT, for example {DefaultHost}.");
        }

        // A server listening on every address is reached on this machine through the loopback one.
        var name = host[..colon] is "*" or "0.0.0.0" or "[::]" ? "127.0.0.1" : host[..colon];
        var insecure = string.Equals(context.Setting("COLDMOD_INSECURE")?.Trim(), "on", StringComparison.OrdinalIgnoreCase);
        return $"{(insecure ? "http" : "https")}://{name}:{port.ToString(CultureInfo.InvariantCulture)}/";
    }

    // Opens the URL in the desktop's browser when there is a desktop to open it on; says so when that fails.
    public static void OpenWhenDisplayed(string url, CommandContext context)
    {
        if (context.Setting("DISPLAY") is null && context.Setting("WAYLAND_DISPLAY") is null)
        {
            return;
        }

        try
        {
            using var opener = Process.Start(new ProcessStartInfo("xdg-open", [url]) { UseShellExecute = false });
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            context.Error.WriteLine($"coldmod: could not open the page with xdg-open ({e.Message}); open the URL above in a browser.");
        }
    }
}
