using Coldmod.Server.Internal.Configuration;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Coldmod.Server.Internal.Hosting;

// Two listeners: gRPC over HTTP/2 (h2c when insecure) and the web port. Each tags its connections
// so that ListenerSeparation keeps gRPC off the web port and the web off the gRPC port.
internal static class KestrelSetup
{
    public static void Configure(WebHostBuilderContext context, KestrelServerOptions kestrel)
    {
        var options = kestrel.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value;
        var certificate = options.IsInsecure ? null : ServerCertificate.Load(options.TlsCert, options.TlsKey);
        kestrel.AddServerHeader = false;
        // A client that vanished without closing its connection (a connect CLI whose laptop slept, a host gone) is
        // noticed by the pings within a minute: its streams end, so a reconnecting `coldmod connect` gets its
        // session back instead of ALREADY_EXISTS until TCP gives up hours later.
        kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
        kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(20);

        Listen(kestrel, options.GrpcEndpoint, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            Secure(listen, certificate);
            ListenerSeparation.Tag(listen, ListenerSeparation.Grpc);
        });
        Listen(kestrel, options.WebEndpoint, listen =>
        {
            listen.Protocols = certificate is null ? HttpProtocols.Http1 : HttpProtocols.Http1AndHttp2;
            Secure(listen, certificate);
            ListenerSeparation.Tag(listen, ListenerSeparation.Web);
        });
    }

    private static void Secure(ListenOptions listen, System.Security.Cryptography.X509Certificates.X509Certificate2? certificate)
    {
        if (certificate is not null)
        {
            listen.UseHttps(certificate);
        }
    }

    private static void Listen(KestrelServerOptions kestrel, ListenAddress address, Action<ListenOptions> configure)
    {
        if (address.Address is not null)
        {
            kestrel.Listen(address.Address, address.Port, configure);
        }
        else if (address.IsLocalhost)
        {
            kestrel.ListenLocalhost(address.Port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(address.Port, configure);
        }
    }
}
