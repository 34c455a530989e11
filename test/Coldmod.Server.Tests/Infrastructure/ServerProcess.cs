using System.Diagnostics;
using Coldmod.Protocol;
using Coldmod.TestSupport;
using Grpc.Net.Client;

namespace Coldmod.Server.Tests.Infrastructure;

// The real server as its own process (the Coldmod.Server build next to the tests), so that a test can SIGKILL it.
public sealed class ServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _process;

    private ServerProcess(Process process, int grpcPort)
    {
        _process = process;
        Channel = GrpcChannel.ForAddress(new Uri($"http://127.0.0.1:{grpcPort}"));
        Traces = new Traces.TracesClient(Channel);
        Ops = new Ops.OpsClient(Channel);
    }

    public GrpcChannel Channel { get; }

    public Traces.TracesClient Traces { get; }

    public Ops.OpsClient Ops { get; }

    public static async Task<ServerProcess> StartAsync(string store)
    {
        var grpcPort = LoopbackPort.Free();
        var webPort = LoopbackPort.Free();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Coldmod.Server.dll"));
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("COLDMOD_", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["COLDMOD_INSECURE"] = "on";
        start.Environment["COLDMOD_STORE"] = store;
        start.Environment["COLDMOD_GRPC_HOST"] = $"127.0.0.1:{grpcPort}";
        start.Environment["COLDMOD_WEB_HOST"] = $"127.0.0.1:{webPort}";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(start) ?? throw new InvalidOperationException("the server did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var web = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + s_startTimeout;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            try
            {
                if ((await web.GetAsync(new Uri($"http://127.0.0.1:{webPort}/healthz"))).IsSuccessStatusCode)
                {
                    return new ServerProcess(process, grpcPort);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.Delay(100);
        }

        process.Kill();
        throw new InvalidOperationException($"the server process did not become healthy (exited: {process.HasExited})");
    }

    // SIGKILL: no drain, no goodbye; acks in flight are lost and their senders re-send.
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        Channel.Dispose();
        _process.Dispose();
        await Task.CompletedTask;
    }
}
