using System.Diagnostics;
using System.Globalization;
using Coldmod.Protocol;
using Coldmod.Server;
using Grpc.Core;
using Grpc.Net.Client;
using Coldmod.TestSupport;

namespace Coldmod.Sender.Tests;

// A Coldmod server in a child process (`dotnet Coldmod.Server.dll`), on 127.0.0.1 ports fixed at construction, so it
// can be stopped gracefully (SIGTERM) or killed outright (SIGKILL) and started again on the same SQLite file where the
// sender expects it. Only the process this object started is ever signalled.
internal sealed class ChildServer : IAsyncDisposable
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(15);
    private const int OutputLinesKept = 200;

    private readonly string _store;
    private readonly string _workingDirectory;
    private readonly Queue<string> _output = new();
    private Process? _process;

    // A store that is not a file (redis://…) needs the working directory given.
    public ChildServer(string store, string? workingDirectory = null)
    {
        _store = store;
        _workingDirectory = workingDirectory ?? Path.GetDirectoryName(store)!;
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

    public int Starts { get; private set; }

    // What the child wrote last, for a failure message.
    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    public async Task StartAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("the child server is already running");
        }

        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = _workingDirectory,
        };
        info.ArgumentList.Add(typeof(ColdmodServer).Assembly.Location);
        info.Environment["COLDMOD_INSECURE"] = "on";
        info.Environment["COLDMOD_GRPC_HOST"] = GrpcHost;
        info.Environment["COLDMOD_WEB_HOST"] = $"127.0.0.1:{WebPort}";
        info.Environment["COLDMOD_STORE"] = _store;
        info.Environment["COLDMOD_API_KEY"] = "";
        info.Environment["COLDMOD_TLS_CERT"] = "";
        info.Environment["COLDMOD_TLS_KEY"] = "";

        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.Start();
        _process = process;
        Starts++;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitUntilServingAsync(process);
    }

    // A graceful stop, as a service manager does it: the server commits and acknowledges what it received, then exits.
    public async Task StopAsync()
    {
        var process = Running();
        using (var signal = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-s", "TERM", process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!)
        {
            await WaitForExitAsync(signal, "kill -s TERM");
        }

        await WaitForExitAsync(process, "the child server after SIGTERM");
        Exited(process);
    }

    // SIGKILL: no shutdown code runs, whatever was received but not committed is gone, and acks never leave.
    public async Task KillAsync()
    {
        var process = Running();
        process.Kill();
        await WaitForExitAsync(process, "the child server after SIGKILL");
        Exited(process);
    }

    public Task<Dictionary<string, ulong>> FetchAllAsync(string app) => Traces.FetchAllAsync(app);

    public Task<Dictionary<string, ulong>> WaitForCountsAsync(string app, IReadOnlyDictionary<string, ulong> expected, TimeSpan timeout) =>
        HeatmapPolling.WaitForCountsAsync(() => FetchAllAsync(app), expected, timeout);

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        if (_process is { } process)
        {
            _process = null;
            if (!process.HasExited)
            {
                process.Kill();
                await WaitForExitAsync(process, "the child server at dispose");
            }

            process.Dispose();
        }
    }

    private Process Running() => _process ?? throw new InvalidOperationException("the child server is not running");

    // Forgotten only once it has exited, so a child that ignored a signal is still killed at dispose.
    private void Exited(Process process)
    {
        _process = null;
        process.Dispose();
    }

    private async Task WaitUntilServingAsync(Process process)
    {
        var deadline = DateTime.UtcNow + s_readyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"the child server exited with {process.ExitCode} while starting:{Environment.NewLine}{RecentOutput}");
            }

            try
            {
                await Ops.StatusAsync(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(2));
                return;
            }
            catch (RpcException)
            {
                // Not listening yet.
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"the child server did not serve within {s_readyTimeout.TotalSeconds:0} s:{Environment.NewLine}{RecentOutput}");
    }

    private async Task WaitForExitAsync(Process process, string what)
    {
        using var timeout = new CancellationTokenSource(s_exitTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{what} did not exit within {s_exitTimeout.TotalSeconds:0} s:{Environment.NewLine}{RecentOutput}");
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }
    }
}
