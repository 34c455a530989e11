using Coldmod.Protocol;
using Coldmod.Server;
using Coldmod.TestSupport;
using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Coldmod.Browser.Tests;

// A real Coldmod server on free 127.0.0.1 ports (plaintext; with an API key when one is given), and a sender of
// Set and batches as the runtime sends them.
public sealed class WebServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _directory;
    private readonly GrpcChannel _channel;
    private readonly Metadata _headers = [];
    // Its own process id: two servers on one Redis share one memory of applied sequences.
    private readonly string _processId = $"browser-test-{Guid.NewGuid():N}";
    private ulong _sequence;

    private WebServer(WebApplication app, TempDirectory directory, Uri grpc, Uri web, string? apiKey, TestAuthority? authority)
    {
        _app = app;
        _directory = directory;
        Web = web;
        _channel = authority is null
            ? GrpcChannel.ForAddress(grpc)
            : GrpcChannel.ForAddress(grpc, new GrpcChannelOptions { HttpHandler = new HttpClientHandler { ServerCertificateCustomValidationCallback = authority.Trusts } });
        Traces = new Traces.TracesClient(_channel);
        if (apiKey is not null)
        {
            _headers.Add("authorization", $"Bearer {apiKey}");
        }
    }

    public Uri Web { get; }

    public Traces.TracesClient Traces { get; }

    // Without an authority the server runs insecure (COLDMOD_INSECURE=on), as the demo does; with one, on TLS with the key.
    // The store is a SQLite file of its own unless a store (a redis:// URL) is given.
    public static async Task<WebServer> StartAsync(TestAuthority? authority = null, string apiKey = "", string? store = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var directory = new TempDirectory("coldmod-browser");
            var grpcPort = LoopbackPort.Free();
            var webPort = LoopbackPort.Free();
            var builder = ColdmodServer.CreateBuilder([]);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["COLDMOD_GRPC_HOST"] = $"127.0.0.1:{grpcPort}",
                ["COLDMOD_WEB_HOST"] = $"127.0.0.1:{webPort}",
                ["COLDMOD_STORE"] = store ?? directory.Combine("coldmod.db"),
                ["COLDMOD_INSECURE"] = authority is null ? "on" : "",
                ["COLDMOD_API_KEY"] = apiKey,
                ["COLDMOD_TLS_CERT"] = authority?.CertificatePath ?? "",
                ["COLDMOD_TLS_KEY"] = authority?.KeyPath ?? "",
            });
            builder.Logging.ClearProviders();
            var app = ColdmodServer.Build(builder);
            try
            {
                await app.StartAsync();
            }
            catch (IOException) when (attempt < 3)
            {
                await app.DisposeAsync();
                directory.Dispose();
                continue;
            }

            var scheme = authority is null ? "http" : "https";
            return new WebServer(app, directory, new Uri($"{scheme}://127.0.0.1:{grpcPort}"), new Uri($"{scheme}://127.0.0.1:{webPort}/"), authority is null ? null : apiKey, authority);
        }
    }

    public Task SetAsync(string app, IEnumerable<(string Key, string File, int Line)> srcs) =>
        SetAsync(app, srcs.Select(s => (s.Key, s.File, s.Line, "")));

    // With each src's entry-point label, as the weaver finds them ("" for a method that is not an entry point); a build's
    // version when given, else the one the server derives from the srcs.
    public async Task SetAsync(string app, IEnumerable<(string Key, string File, int Line, string Label)> srcs, string version = "")
    {
        var request = new SetRequest { App = app, Version = version };
        foreach (var (key, file, line, label) in srcs)
        {
            request.Srcs.Add(new Src { Key = key, File = file, Line = (uint)line, Label = label });
        }

        await Traces.SetAsync(request, _headers, DateTime.UtcNow.AddSeconds(30));
    }

    // One batch on its own Collect stream, returned when acknowledged.
    public Task SendAsync(string app, params (string Key, ulong Count)[] hits) => SendAsync(app, "", hits);

    // From a process of the build with this version.
    public async Task SendAsync(string app, string version, params (string Key, ulong Count)[] hits)
    {
        var batch = new Batch { App = app, ProcessId = _processId, Sequence = Interlocked.Increment(ref _sequence), Version = version };
        foreach (var (key, count) in hits)
        {
            batch.Hits.Add(new Hit { Key = key, Count = count });
        }

        using var call = Traces.Collect(_headers, DateTime.UtcNow.AddSeconds(30));
        await call.RequestStream.WriteAsync(batch);
        await call.RequestStream.CompleteAsync();
        await foreach (var ack in call.ResponseStream.ReadAllAsync())
        {
            if (!ack.Applied)
            {
                throw new InvalidOperationException($"batch {ack.Sequence} was not applied");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await _app.StopAsync(timeout.Token);
        await _app.DisposeAsync();
        _directory.Dispose();
    }
}
