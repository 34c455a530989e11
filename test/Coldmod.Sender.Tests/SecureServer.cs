using Coldmod.Protocol;
using Coldmod.Server;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Coldmod.TestSupport;

namespace Coldmod.Sender.Tests;

// A real Coldmod server as production runs it: TLS with a certificate the test CA signed, and a bearer API key.
// Its own client trusts that CA and sends the key, so a fetch tells what arrived, not whether the test could connect.
internal sealed class SecureServer : IAsyncDisposable
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);

    private readonly WebApplication _app;
    private readonly GrpcChannel _channel;
    private readonly Traces.TracesClient _traces;
    private readonly Metadata _bearer;

    private SecureServer(WebApplication app, GrpcChannel channel, string grpcHost, string apiKey)
    {
        _app = app;
        _channel = channel;
        _traces = new Traces.TracesClient(channel);
        _bearer = new Metadata { { "authorization", $"Bearer {apiKey}" } };
        GrpcHost = grpcHost;
    }

    public string GrpcHost { get; }

    public static async Task<SecureServer> StartAsync(TestAuthority authority, string store, string apiKey)
    {
        var grpcHost = $"127.0.0.1:{LoopbackPort.Free()}";
        var builder = ColdmodServer.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["COLDMOD_GRPC_HOST"] = grpcHost,
            ["COLDMOD_WEB_HOST"] = $"127.0.0.1:{LoopbackPort.Free()}",
            ["COLDMOD_STORE"] = store,
            ["COLDMOD_INSECURE"] = "",
            ["COLDMOD_API_KEY"] = apiKey,
            ["COLDMOD_TLS_CERT"] = authority.CertificatePath,
            ["COLDMOD_TLS_KEY"] = authority.KeyPath,
        });
        builder.Logging.ClearProviders();
        var app = ColdmodServer.Build(builder);
        await app.StartAsync();
        var channel = GrpcChannel.ForAddress($"https://{grpcHost}", new GrpcChannelOptions
        {
            HttpHandler = new HttpClientHandler { ServerCertificateCustomValidationCallback = authority.Trusts },
            DisposeHttpClient = true,
        });
        return new SecureServer(app, channel, grpcHost, apiKey);
    }

    public Task<Dictionary<string, ulong>> FetchAllAsync(string app) => _traces.FetchAllAsync(app, _bearer);

    public Task<Dictionary<string, ulong>> WaitForCountsAsync(string app, IReadOnlyDictionary<string, ulong> expected, TimeSpan timeout) =>
        HeatmapPolling.WaitForCountsAsync(() => FetchAllAsync(app), expected, timeout);

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        using var timeout = new CancellationTokenSource(s_stopTimeout);
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
