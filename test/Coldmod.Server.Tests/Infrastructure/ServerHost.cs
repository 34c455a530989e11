using Coldmod.Protocol;
using Grpc.Net.Client;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using Coldmod.TestSupport;

namespace Coldmod.Server.Tests.Infrastructure;

// A Coldmod server for one test: in-process on a TestServer, or on a real Kestrel bound to free
// loopback ports. Disposing stops it and fails the test if it logged an unexpected error.
public sealed class ServerHost : IAsyncDisposable
{
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(15);

    private readonly HttpMessageHandler? _grpcHandler;
    private bool _stopped;

    private ServerHost(WebApplication app, TestLogSink log, ServerSettings settings, GrpcChannel channel, Uri? webAddress)
    {
        App = app;
        Log = log;
        Settings = settings;
        Channel = channel;
        WebAddress = webAddress;
        Traces = new Traces.TracesClient(channel);
        Ops = new Ops.OpsClient(channel);
    }

    private ServerHost(WebApplication app, TestLogSink log, ServerSettings settings, GrpcChannel channel, HttpMessageHandler grpcHandler)
        : this(app, log, settings, channel, webAddress: null)
    {
        _grpcHandler = grpcHandler;
    }

    public WebApplication App { get; }

    public TestLogSink Log { get; }

    public ServerSettings Settings { get; }

    public GrpcChannel Channel { get; }

    public Traces.TracesClient Traces { get; }

    public Ops.OpsClient Ops { get; }

    // The web port's address (Kestrel only).
    public Uri? WebAddress { get; }

    public static WebApplication Build(ServerSettings settings, TestLogSink log, bool testServer)
    {
        var builder = ColdmodServer.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(settings.ToConfiguration());
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFilter("Microsoft", LogLevel.Information);
        builder.Logging.AddFilter("Grpc", LogLevel.Information);
        builder.Logging.AddProvider(log);
        builder.WebHost.UseShutdownTimeout(s_stopTimeout);
        if (settings.Clock is { } clock)
        {
            builder.Services.AddSingleton(clock);
        }

        settings.Services?.Invoke(builder.Services);
        if (testServer)
        {
            builder.WebHost.UseTestServer();
        }

        return ColdmodServer.Build(builder);
    }

    public static async Task<ServerHost> StartInProcessAsync(ServerSettings settings, ITestOutputHelper output)
    {
        var log = new TestLogSink(output);
        var app = Build(settings, log, testServer: true);
        await app.StartAsync();
        var handler = app.GetTestServer().CreateHandler();
        var channel = GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = handler });
        return new ServerHost(app, log, settings, channel, handler);
    }

    // Binds free 127.0.0.1 ports chosen here (the grpc and web hosts of settings are replaced).
    public static async Task<ServerHost> StartKestrelAsync(ServerSettings settings, ITestOutputHelper output, Func<Uri, GrpcChannel>? channelFactory = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var (grpcPort, webPort) = LoopbackPort.FreePair();
            var bound = settings with { GrpcHost = $"127.0.0.1:{grpcPort}", WebHost = $"127.0.0.1:{webPort}" };
            var log = new TestLogSink(output);
            var app = Build(bound, log, testServer: false);
            try
            {
                await app.StartAsync();
            }
            catch (IOException) when (attempt < 3)
            {
                // Another test took the port between LoopbackPort.Free and the bind.
                await app.DisposeAsync();
                continue;
            }

            var scheme = bound.Insecure == "on" ? "http" : "https";
            var grpcAddress = new Uri($"{scheme}://127.0.0.1:{grpcPort}");
            var channel = channelFactory?.Invoke(grpcAddress) ?? GrpcChannel.ForAddress(grpcAddress);
            return new ServerHost(app, log, bound, channel, new Uri($"{scheme}://127.0.0.1:{webPort}"));
        }
    }


    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(s_stopTimeout);
        await App.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        _grpcHandler?.Dispose();
        await StopAsync();
        await App.DisposeAsync();
        Log.AssertNoUnexpectedErrors();
    }
}
