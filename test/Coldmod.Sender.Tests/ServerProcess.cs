using Coldmod.Protocol;
using Coldmod.Server;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Coldmod.TestSupport;

namespace Coldmod.Sender.Tests;

// A real Coldmod server on 127.0.0.1 ports fixed at construction, so it can be stopped and started again where the
// sender expects it, on the same SQLite file.
internal sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(10);

    private readonly string _store;
    private readonly ILoggerProvider? _log;
    private WebApplication? _app;

    // With a log, the server logs to it as an operator's console would show it with COLDMOD_LOG_LEVEL=debug.
    public ServerProcess(string store, ILoggerProvider? log = null)
    {
        _store = store;
        _log = log;
        GrpcPort = LoopbackPort.Free();
        WebPort = LoopbackPort.Free();
        Channel = GrpcChannel.ForAddress($"http://127.0.0.1:{GrpcPort}");
        Traces = new Traces.TracesClient(Channel);
        Ops = new Ops.OpsClient(Channel);
    }

    public int GrpcPort { get; }

    public int WebPort { get; }

    public string GrpcHost => $"127.0.0.1:{GrpcPort}";

    public GrpcChannel Channel { get; }

    public Traces.TracesClient Traces { get; }

    public Ops.OpsClient Ops { get; }


    public async Task StartAsync()
    {
        var builder = ColdmodServer.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["COLDMOD_GRPC_HOST"] = GrpcHost,
            ["COLDMOD_WEB_HOST"] = $"127.0.0.1:{WebPort}",
            ["COLDMOD_STORE"] = _store,
            ["COLDMOD_INSECURE"] = "on",
            ["COLDMOD_API_KEY"] = "",
            ["COLDMOD_TLS_CERT"] = "",
            ["COLDMOD_TLS_KEY"] = "",
            ["COLDMOD_LOG_LEVEL"] = _log is null ? "" : "debug",
        });
        builder.Logging.ClearProviders();
        if (_log is not null)
        {
            builder.Logging.AddProvider(_log);
        }

        _app = ColdmodServer.Build(builder);
        await _app.StartAsync();
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var timeout = new CancellationTokenSource(s_stopTimeout);
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }
    }

    public Task<Dictionary<string, ulong>> FetchAllAsync(string app) => Traces.FetchAllAsync(app);

    public Task<Dictionary<string, ulong>> WaitForCountsAsync(string app, IReadOnlyDictionary<string, ulong> expected, TimeSpan timeout) =>
        HeatmapPolling.WaitForCountsAsync(() => FetchAllAsync(app), expected, timeout);

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await StopAsync();
    }
}
