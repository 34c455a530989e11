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

    private readonly PackagedColdmod _coldmod;
    private readonly string _workingDirectory;
    private ToolProcess _server;

    private ColdmodServe(PackagedColdmod coldmod, string workingDirectory, ToolProcess server, IReadOnlyDictionary<string, string?> environment)
    {
        _coldmod = coldmod;
        _workingDirectory = workingDirectory;
        _server = server;
        Environment = environment;
    }

    public IReadOnlyDictionary<string, string?> Environment { get; }

    public string WebHost => Environment["COLDMOD_WEB_HOST"]!;

    private int GrpcPort => int.Parse(Environment["COLDMOD_GRPC_HOST"]!.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture);

    // Everything the server wrote so far, stdout and stderr.
    public IReadOnlyCollection<string> Output => _server.Output;

    public static async Task<ColdmodServe> StartAsync(PackagedColdmod coldmod, string workingDirectory, string store)
    {
        var environment = new Dictionary<string, string?>(coldmod.ChildEnvironment)
        {
            ["COLDMOD_INSECURE"] = "on",
            ["COLDMOD_GRPC_HOST"] = $"127.0.0.1:{FreePort()}",
            ["COLDMOD_WEB_HOST"] = $"127.0.0.1:{FreePort()}",
            ["COLDMOD_STORE"] = store,
        };

        var serve = new ColdmodServe(coldmod, workingDirectory, ToolProcess.Start(coldmod.ColdmodTool, ["serve"], workingDirectory, environment), environment);
        try
        {
            await WaitForPortAsync(serve.GrpcPort, serve._server);
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }

        return serve;
    }

    /// <summary>Kills the server (SIGKILL) and starts it again on the same ports and store, as an operator's restart after a crash.</summary>
    public async Task RestartAsync()
    {
        await _server.DisposeAsync();
        _server = ToolProcess.Start(_coldmod.ColdmodTool, ["serve"], _workingDirectory, Environment);
        await WaitForPortAsync(GrpcPort, _server);
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    private static async Task WaitForPortAsync(int port, ToolProcess server)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_serverStart)
        {
            Assert.False(server.HasExited, $"coldmod serve exited with {(server.HasExited ? server.ExitCode : 0)} before listening:\n{string.Join('\n', server.Output)}");
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
