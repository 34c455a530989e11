using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Coldmod.TestSupport;

/// <summary>
/// A Coldmod server in a child process (<c>dotnet coldmod.dll serve</c> or <c>dotnet Coldmod.Server.dll</c>) on free
/// 127.0.0.1 ports, with its console output captured: what an operator's terminal shows. Only the process this object
/// started is ever signalled.
/// </summary>
public sealed class ServerChildProcess : IDisposable
{
    private static readonly TimeSpan s_readyTimeout = TimeSpan.FromSeconds(40);
    private static readonly TimeSpan s_exitTimeout = TimeSpan.FromSeconds(20);

    private readonly Process _process;
    private readonly List<string> _output = [];
    private readonly TempDirectory _directory = new("coldmod-child-server");

    private ServerChildProcess(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        GrpcPort = LoopbackPort.Free();
        WebPort = LoopbackPort.Free();
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = _directory.Path,
        };
        info.ArgumentList.Add(dll);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["COLDMOD_INSECURE"] = "on";
        info.Environment["COLDMOD_GRPC_HOST"] = $"127.0.0.1:{GrpcPort}";
        info.Environment["COLDMOD_WEB_HOST"] = $"127.0.0.1:{WebPort}";
        info.Environment["COLDMOD_STORE"] = _directory.Combine("heatmap.db");
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Starts the server and waits until it listens, on new ports if another process took the chosen ones.</summary>
    /// <param name="dll">The entry assembly to run with <c>dotnet</c>.</param>
    /// <param name="arguments">Its arguments, such as <c>serve</c>.</param>
    /// <param name="environment">Variables added to the insecure loopback settings; they may replace them.</param>
    public static async Task<ServerChildProcess> StartAsync(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        for (var attempt = 1; ; attempt++)
        {
            var server = new ServerChildProcess(dll, arguments, environment);
            try
            {
                await server.WaitUntilListeningAsync();
                return server;
            }
            catch (InvalidOperationException) when (attempt < 3 && server.Output.Contains("address already in use", StringComparison.Ordinal))
            {
                server.Dispose();
            }
        }
    }

    /// <summary>Starts a server that is expected to fail at start, and waits for it to exit.</summary>
    public static ServerChildProcess Run(string dll, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment) =>
        new(dll, arguments, environment);

    public int GrpcPort { get; }

    public int WebPort { get; }

    public Uri WebAddress => new($"http://127.0.0.1:{WebPort}/");

    /// <summary>Everything the process wrote so far, standard output and error interleaved as they arrived.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    private async Task WaitUntilListeningAsync()
    {
        var deadline = DateTime.UtcNow + s_readyTimeout;
        while (!(await AcceptsAsync(GrpcPort) && await AcceptsAsync(WebPort)))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"the server exited with {_process.ExitCode} while starting:\n{Output}");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"the server did not listen within {s_readyTimeout.TotalSeconds:0} s:\n{Output}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Stops the process as a service manager does (SIGTERM) and returns its exit code once it has exited.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var signal = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-s", "TERM", _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!;
            await signal.WaitForExitAsync();
        }

        return await WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit by itself (a start-up failure) and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(s_exitTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the server did not exit within {s_exitTimeout.TotalSeconds:0} s:\n{Output}");
        }

        // The asynchronous readers may still hold the last lines; WaitForExit without a timeout drains them.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit(s_exitTimeout);
        }

        _process.Dispose();
        _directory.Dispose();
    }

    private static async Task<bool> AcceptsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await client.ConnectAsync("127.0.0.1", port, timeout.Token);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }
}
