using System.Globalization;
using System.Net;

namespace Coldmod.Server.Internal.Configuration;

// A host:port to listen on: an IP address ("127.0.0.1:7777", "[::1]:7777"), "localhost:7777",
// or "*:7777" for every interface.
internal sealed record ListenAddress(string Host, IPAddress? Address, int Port)
{
    public bool IsLocalhost => Address is null && Host == "localhost";

    public static ListenAddress Parse(string value) =>
        TryParse(value, out var address, out var problem) ? address : throw new FormatException(problem);

    public static bool TryParse(string value, out ListenAddress address, out string problem)
    {
        address = null!;
        var colon = value.LastIndexOf(':');
        if (colon <= 0 || colon == value.Length - 1)
        {
            problem = "it has no host:port form";
            return false;
        }

        var portText = value[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            problem = $"'{portText}' is not a port number (0-65535)";
            return false;
        }

        var host = value[..colon];
        if (host.StartsWith('[') && host.EndsWith(']'))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            problem = "an IPv6 address needs brackets, as in [::1]:7777";
            return false;
        }

        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase) || host == "*")
        {
            if (port == 0)
            {
                problem = "port 0 (any free port) needs an IP address, not localhost or *";
                return false;
            }

            address = new ListenAddress(host.ToLowerInvariant(), null, port);
            problem = "";
            return true;
        }

        if (!IPAddress.TryParse(host, out var ip))
        {
            problem = $"'{host}' is not an IP address, localhost or *";
            return false;
        }

        address = new ListenAddress(host, ip, port);
        problem = "";
        return true;
    }

    public override string ToString() => Address?.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6
        ? $"[{Host}]:{Port}"
        : $"{Host}:{Port}";
}
