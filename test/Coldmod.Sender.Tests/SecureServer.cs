using Coldmod.Protocol;
using Coldmod.Server;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

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
        var grpcHost = $"127.0.0.1:{ServerProcess.FreePort()}";
        var builder = ColdmodServer.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["COLDMOD_GRPC_HOST"] = grpcHost,
            ["COLDMOD_WEB_HOST"] = $"127.0.0.1:{ServerProcess.FreePort()}",
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

    public async Task<Dictionary<string, ulong>> FetchAllAsync(string app)
    {
        var reply = await _traces.FetchAsync(new FetchRequest { App = app, All = true }, _bearer, DateTime.UtcNow.AddSeconds(5));
        return reply.Srcs.ToDictionary(s => s.Key, s => s.Count, StringComparer.Ordinal);
    }

    // Polls until the heatmap holds the expected counts for those keys; returns the last one fetched either way.
    public async Task<Dictionary<string, ulong>> WaitForCountsAsync(string app, IReadOnlyDictionary<string, ulong> expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Dictionary<string, ulong> fetched = [];
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                fetched = await FetchAllAsync(app);
                if (expected.All(pair => fetched.TryGetValue(pair.Key, out var count) && count == pair.Value))
                {
                    return fetched;
                }
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                // Not set yet.
            }

            await Task.Delay(50);
        }

        return fetched;
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        using var timeout = new CancellationTokenSource(s_stopTimeout);
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
    }
}
