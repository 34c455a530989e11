using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Coldmod.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A real <c>coldmod serve</c> from the installed tool, on free loopback ports, insecure, with a SQLite store of its
/// own; <see cref="Environment"/> is what the app and the CLI need to reach it. Disposing kills it.
/// </summary>
public sealed class ColdmodServe : IAsyncDisposable
{
    private static readonly TimeSpan s_serverStart = TimeSpan.FromSeconds(60);

    private readonly Process _server;
    private readonly ConcurrentQueue<string> _output;

    private ColdmodServe(Process server, IReadOnlyDictionary<string, string?> environment, ConcurrentQueue<string> output)
    {
        _server = server;
        Environment = environment;
        _output = output;
    }

    public IReadOnlyDictionary<string, string?> Environment { get; }

    public string WebHost => Environment["COLDMOD_WEB_HOST"]!;

    // Everything the server wrote so far, stdout and stderr.
    public IReadOnlyCollection<string> Output => _output;

    public static async Task<ColdmodServe> StartAsync(PackagedColdmod coldmod, string workingDirectory, string store)
    {
        var grpcPort = FreePort();
        var environment = new Dictionary<string, string?>(coldmod.ChildEnvironment)
        {
            ["COLDMOD_INSECURE"] = "on",
            ["COLDMOD_GRPC_HOST"] = $"127.0.0.1:{grpcPort}",
            ["COLDMOD_WEB_HOST"] = $"127.0.0.1:{FreePort()}",
            ["COLDMOD_STORE"] = store,
        };

        var start = new ProcessStartInfo(coldmod.ColdmodTool, ["serve"])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var output = new ConcurrentQueue<string>();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var serve = new ColdmodServe(process, environment, output);
        try
        {
            await WaitForPortAsync(grpcPort, process);
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }

        return serve;
    }

    public async ValueTask DisposeAsync()
    {
        _server.Kill(entireProcessTree: true);
        await _server.WaitForExitAsync();
        _server.Dispose();
    }

    private static void Keep(ConcurrentQueue<string> output, string? line)
    {
        if (line is not null)
        {
            output.Enqueue(line);
        }
    }

    private static async Task WaitForPortAsync(int port, Process server)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_serverStart)
        {
            Assert.False(server.HasExited, $"coldmod serve exited with {(server.HasExited ? server.ExitCode : 0)} before listening");
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(200);
            }
        }

        Assert.Fail($"coldmod serve did not listen on 127.0.0.1:{port} within {s_serverStart.TotalSeconds} s");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
