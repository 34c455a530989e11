using System.Net;
using System.Net.Sockets;

namespace Coldmod.TestSupport;

/// <summary>Free TCP ports on 127.0.0.1, for servers the tests start.</summary>
public static class LoopbackPort
{
    /// <summary>A port the OS just handed out and released; another process may still take it before it is bound.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
