extern alias server;

using Coldmod.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ColdmodServer = server::Coldmod.Server.ColdmodServer;
using ConnectSessions = server::Coldmod.Server.Internal.Connect.ConnectSessions;

namespace Coldmod.Cli.Tests.Connect;

/// <summary>
/// A real Coldmod server (Kestrel on free 127.0.0.1 ports, a SQLite store) in this process, so a test can act as the
/// /connect page does through its ConnectSessions. It can be stopped and started again on the same ports and store.
/// </summary>
public sealed class ConnectBackend : IAsyncDisposable
{
    private readonly TempDirectory _store = new("coldmod-connect-store");
    private int _grpcPort;
    private int _webPort;
    private WebApplication? _app;

    private ConnectBackend()
    {
    }

    public string GrpcHost => $"127.0.0.1:{_grpcPort}";

    public string WebHost => $"127.0.0.1:{_webPort}";

    // What the CLI under test reads: this server, plain HTTP.
    public Dictionary<string, string> Environment => new()
    {
        ["COLDMOD_INSECURE"] = "on",
        ["COLDMOD_GRPC_HOST"] = GrpcHost,
        ["COLDMOD_WEB_HOST"] = WebHost,
    };

    internal ConnectSessions Sessions => _app!.Services.GetRequiredService<ConnectSessions>();

    public static async Task<ConnectBackend> StartAsync()
    {
        var backend = new ConnectBackend();
        for (var attempt = 1; ; attempt++)
        {
            (backend._grpcPort, backend._webPort) = LoopbackPort.FreePair();
            try
            {
                await backend.StartAgainAsync();
                return backend;
            }
            catch (IOException) when (attempt < 3)
            {
                // Another test took a port between choosing and binding it.
                await backend.StopAsync();
            }
        }
    }

    public async Task StartAgainAsync()
    {
        var builder = ColdmodServer.CreateBuilder(
        [
            $"--COLDMOD_GRPC_HOST={GrpcHost}",
            $"--COLDMOD_WEB_HOST={WebHost}",
            "--COLDMOD_INSECURE=on",
            $"--COLDMOD_STORE={_store.Combine("coldmod.db")}",
        ]);
        builder.Logging.ClearProviders();
        _app = ColdmodServer.Build(builder);
        try
        {
            await _app.StartAsync();
        }
        catch
        {
            await _app.DisposeAsync();
            _app = null;
            throw;
        }
    }

    public async Task StopAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await app.StopAsync(timeout.Token);
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _store.Dispose();
    }
}
