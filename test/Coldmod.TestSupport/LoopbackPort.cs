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

    /// <summary>
    /// Two different free ports (a server's gRPC and web ports): both are held while the second is chosen, as two
    /// calls of <see cref="Free"/> may hand out the same port twice.
    /// </summary>
    public static (int First, int Second) FreePair()
    {
        using var first = new TcpListener(IPAddress.Loopback, 0);
        using var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        return (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
    }
}
