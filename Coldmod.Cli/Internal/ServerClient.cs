using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coldmod.Cli.Commands;
using Coldmod.Protocol;
using Grpc.Core;
using Grpc.Net.Client;

namespace Coldmod.Cli.Internal;

// The CLI's side of the backend: one channel to COLDMOD_GRPC_HOST (or --grpc-host), with the transport and API key
// the environment asks for, the same variables the traced apps and the server read.
internal sealed class ServerClient : IDisposable
{
    public const string DefaultHost = "127.0.0.1:7777";

    // The heatmap of a large app is well past gRPC's 4 MB default; the server caps what it sends anyway.
    private const int MaxReceiveMessageSize = 512 * 1024 * 1024;

    private static readonly TimeSpan s_connectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_callTimeout = TimeSpan.FromMinutes(2);

    private readonly IReadOnlyList<(string Address, Uri Uri)> _hosts;
    private readonly Func<Uri, GrpcChannel> _open;
    private readonly Metadata _headers = [];
    private GrpcChannel _channel;
    private int _host;

    private ServerClient(IReadOnlyList<(string Address, Uri Uri)> hosts, Func<Uri, GrpcChannel> open, string? apiKey)
    {
        _hosts = hosts;
        _open = open;
        _channel = open(hosts[0].Uri);
        Traces = new Traces.TracesClient(_channel);
        Ops = new Ops.OpsClient(_channel);
        if (apiKey is not null)
        {
            _headers.Add("authorization", $"Bearer {apiKey}");
        }
    }

    // host:port as the user gave it, for messages: the server in use.
    public string Address => _hosts[_host].Address;

    public Traces.TracesClient Traces { get; private set; }

    public Ops.OpsClient Ops { get; private set; }

    // Options are checked here, before any connection, so a typo is a usage error (exit code 2). A comma-separated
    // list names instances of one server (on one store); a call goes to the next when one cannot be reached.
    public static ServerClient Connect(string? grpcHost, CommandContext context)
    {
        var setting = grpcHost ?? context.Setting("COLDMOD_GRPC_HOST") ?? DefaultHost;
        var insecure = string.Equals(context.Setting("COLDMOD_INSECURE"), "on", StringComparison.Ordinal);
        var scheme = insecure ? Uri.UriSchemeHttp : Uri.UriSchemeHttps;
        var hosts = new List<(string, Uri)>();
        foreach (var entry in setting.Split(','))
        {
            var address = entry.Trim();
            if (address.Length == 0 || address.Contains("://", StringComparison.Ordinal) ||
                !Uri.TryCreate($"{scheme}://{address}", UriKind.Absolute, out var uri) || uri.Port <= 0 || uri.AbsolutePath != "/")
            {
                throw new UsageException(setting.Contains(',', StringComparison.Ordinal)
                    ? $"--grpc-host '{setting}': '{address}' must look like HOST:PORT, e.g. {DefaultHost}; a list is HOST:PORT,HOST:PORT."
                    : $"--grpc-host '{setting}' must look like HOST:PORT, e.g. {DefaultHost}.");
            }

            hosts.Add((address, uri));
        }

        var authorities = !insecure && context.Setting("COLDMOD_TLS_CA") is { } caFile ? LoadAuthorities(context.FullPath(caFile)) : null;
        GrpcChannel Open(Uri uri)
        {
            // `coldmod connect` holds one stream for hours: the pings notice a server that vanished without closing it,
            // so the CLI reconnects instead of waiting on a dead connection.
            var handler = new SocketsHttpHandler
            {
                ConnectTimeout = s_connectTimeout,
                EnableMultipleHttp2Connections = true,
                KeepAlivePingDelay = TimeSpan.FromSeconds(30),
                KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
                KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            };
            if (authorities is not null)
            {
                handler.SslOptions.RemoteCertificateValidationCallback = TrustOnly(authorities);
            }

            return GrpcChannel.ForAddress(uri, new GrpcChannelOptions
            {
                HttpHandler = handler,
                DisposeHttpClient = true,
                MaxReceiveMessageSize = MaxReceiveMessageSize,
            });
        }

        return new ServerClient(hosts, Open, context.Setting("COLDMOD_API_KEY"));
    }

    public CallOptions CallOptions() => new(_headers, DateTime.UtcNow + s_callTimeout);

    // For a stream that stays open as long as the verb runs: no deadline, ended by the token.
    public CallOptions StreamOptions(CancellationToken cancellationToken) => new(_headers, cancellationToken: cancellationToken);

    // After a host of the list failed, the next call goes to the next one (a single host stays as it is).
    public void TryNextHost()
    {
        if (_hosts.Count > 1)
        {
            NextHost();
        }
    }

    // The app a verb works on: the one named, or the only one the server knows.
    public string ResolveApp(string? app)
    {
        if (app is not null)
        {
            if (app.Trim().Length == 0)
            {
                throw new UsageException("--app needs an app name.");
            }

            return app;
        }

        var status = Call(() => Ops.Status(new StatusRequest(), CallOptions()));
        return status.Apps.Count switch
        {
            0 => throw new CommandFailedException($"The server at {Address} knows no app yet: an app appears once it runs woven with COLDMOD_GRPC_HOST={Address}."),
            1 => status.Apps[0],
            _ => throw new UsageException($"The server at {Address} knows several apps ({string.Join(", ", status.Apps)}); choose one with --app NAME."),
        };
    }

    // Runs one call, turning its failure into the one line the user should read.
    // With a list of hosts, a host that cannot be reached passes the call to the next one.
    public T Call<T>(Func<T> call, string? app = null)
    {
        for (var tried = 1; ; tried++)
        {
            try
            {
                return call();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && !IsCertificateFailure(e) && tried < _hosts.Count)
            {
                NextHost();
            }
            catch (RpcException e)
            {
                throw new CommandFailedException(Explain(e, app));
            }
        }
    }

    public void Dispose() => _channel.Dispose();

    private void NextHost()
    {
        _channel.Dispose();
        _host = (_host + 1) % _hosts.Count;
        _channel = _open(_hosts[_host].Uri);
        Traces = new Traces.TracesClient(_channel);
        Ops = new Ops.OpsClient(_channel);
    }

    public string Explain(RpcException e, string? app)
    {
        var detail = OneLine(e.Status.Detail);
        return e.StatusCode switch
        {
            StatusCode.Unavailable or StatusCode.Internal when IsCertificateFailure(e) =>
                $"The TLS certificate of the Coldmod server at {Address} is not trusted ({detail}). Set COLDMOD_TLS_CA to the PEM file of the CA that signed it, or COLDMOD_INSECURE=on for a plaintext server.",
            StatusCode.Unavailable when _hosts.Count > 1 =>
                $"Cannot reach any Coldmod server of {string.Join(", ", _hosts.Select(h => h.Address))} (the last said: {detail}). Start one with 'coldmod serve', or point --grpc-host (or COLDMOD_GRPC_HOST) at yours; COLDMOD_INSECURE=on talks plain HTTP, otherwise TLS.",
            StatusCode.Unavailable =>
                $"Cannot reach the Coldmod server at {Address} ({detail}). Start one with 'coldmod serve', or point --grpc-host (or COLDMOD_GRPC_HOST) at yours; COLDMOD_INSECURE=on talks plain HTTP, otherwise TLS.",
            StatusCode.Unauthenticated =>
                $"The server at {Address} refused the request as unauthenticated ({detail}). Set COLDMOD_API_KEY to the server's API key.",
            StatusCode.NotFound when app is not null =>
                $"The server at {Address} has no app '{app}' ({detail}). Without --app, the only app the server knows is used.",
            StatusCode.DeadlineExceeded =>
                $"The server at {Address} did not answer within {s_callTimeout.TotalMinutes:0} minutes.",
            _ => $"The server at {Address} answered {e.StatusCode}: {detail}",
        };
    }

    private static string OneLine(string text) => string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static X509Certificate2Collection LoadAuthorities(string path)
    {
        var authorities = new X509Certificate2Collection();
        try
        {
            authorities.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new CommandFailedException($"Cannot read the certificate authorities in COLDMOD_TLS_CA={path}: {e.Message}");
        }

        if (authorities.Count == 0)
        {
            throw new CommandFailedException($"COLDMOD_TLS_CA={path} holds no PEM certificate.");
        }

        return authorities;
    }

    // A private CA (or a self-signed server certificate) is trusted instead of, not besides, the system's roots.
    private static RemoteCertificateValidationCallback TrustOnly(X509Certificate2Collection authorities) =>
        (_, certificate, _, errors) =>
        {
            if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.CustomTrustStore.AddRange(authorities);
            return chain.Build(new X509Certificate2(certificate));
        };

    private static bool IsCertificateFailure(RpcException e)
    {
        for (var inner = e.Status.DebugException; inner is not null; inner = inner.InnerException)
        {
            if (inner is System.Security.Authentication.AuthenticationException)
            {
                return true;
            }
        }

        return false;
    }
}
