using System.Diagnostics;
using System.Globalization;
using Coldmod.Cli.Internal;
using Coldmod.Cli.Options;

namespace Coldmod.Cli.Commands;

internal sealed class WebCommand(CommandContext context) : ICommand<WebOptions>
{
    private const string DefaultHost = "127.0.0.1:7778";

    public int Execute(WebOptions options)
    {
        var host = options.WebHost ?? context.Setting("COLDMOD_WEB_HOST") ?? DefaultHost;
        var colon = host.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(host[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new UsageException($"the web host '{host}' is not HOST:PORT, for example 127.0.0.1:7778.");
        }

        // A server listening on every address is reached on this machine through the loopback one.
        var name = host[..colon] is "*" or "0.0.0.0" or "[::]" ? "127.0.0.1" : host[..colon];
        var insecure = string.Equals(context.Setting("COLDMOD_INSECURE")?.Trim(), "on", StringComparison.OrdinalIgnoreCase);
        var url = $"{(insecure ? "http" : "https")}://{name}:{port.ToString(CultureInfo.InvariantCulture)}/";
        context.Out.WriteLine(url);
        if (!options.NoOpen && (context.Setting("DISPLAY") is not null || context.Setting("WAYLAND_DISPLAY") is not null))
        {
            Open(url);
        }

        return ExitCodes.Success;
    }

    private void Open(string url)
    {
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
