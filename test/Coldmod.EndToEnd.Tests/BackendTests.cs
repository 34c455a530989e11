using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Coldmod.EndToEnd.Tests.Infrastructure;

namespace Coldmod.EndToEnd.Tests;

/// <summary>
/// The woven sample reports to a real `coldmod serve` (SQLite, loopback, insecure) through ColdmodTracing.Start(),
/// and `coldmod fetch` shows exact counts and the cold methods.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class BackendTests(PackagedColdmod coldmod)
{
    private static readonly TimeSpan s_serverStart = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task The_woven_sample_reports_to_coldmod_serve_and_fetch_shows_exact_counts_and_the_cold_methods()
    {
        var shop = await coldmod.WovenShopAsync();
        var store = Path.Combine(shop.Workspace.Directory, $"backend-{Guid.NewGuid():N}.db");
        var grpcPort = FreePort();
        var environment = new Dictionary<string, string?>(coldmod.ChildEnvironment)
        {
            ["COLDMOD_INSECURE"] = "on",
            ["COLDMOD_GRPC_HOST"] = $"127.0.0.1:{grpcPort}",
            ["COLDMOD_WEB_HOST"] = $"127.0.0.1:{FreePort()}",
            ["COLDMOD_STORE"] = store,
        };

        using var server = StartServer(shop.Workspace.ProjectDirectory, environment);
        try
        {
            await WaitForPortAsync(grpcPort, server);

            var run = await coldmod.DotNetAsync(shop.Workspace.ProjectDirectory, [shop.Workspace.OutputAssembly], PackagedColdmod.RunTimeout, environment);
            Assert.True(run.Succeeded, run.Describe());
            Assert.DoesNotContain("coldmod:", run.Output, StringComparison.Ordinal);

            var all = await ChildProcess.RunAsync(coldmod.ColdmodTool, ["fetch", "--all", "--format", "json"], shop.Workspace.ProjectDirectory, environment, PackagedColdmod.RunTimeout);
            Assert.True(all.Succeeded, all.Describe());
            var json = all.Output[all.Output.IndexOf('{', StringComparison.Ordinal)..(all.Output.LastIndexOf('}') + 1)];
            var counts = JsonDocument.Parse(json).RootElement.GetProperty("entries").EnumerateArray()
                .ToDictionary(e => e.GetProperty("key").GetString()!, e => e.GetProperty("count").GetInt64(), StringComparer.Ordinal);
            Assert.Equal(ShopExpectations.CallsOfOneRun.OrderBy(p => p.Key, StringComparer.Ordinal), counts.OrderBy(p => p.Key, StringComparer.Ordinal));

            var cold = await ChildProcess.RunAsync(coldmod.ColdmodTool, ["fetch"], shop.Workspace.ProjectDirectory, environment, PackagedColdmod.RunTimeout);
            Assert.True(cold.Succeeded, cold.Describe());
            foreach (var (key, count) in ShopExpectations.CallsOfOneRun)
            {
                Assert.True(count == 0 == cold.Output.Contains($"  {key}  ", StringComparison.Ordinal), $"{key} ({count} calls) in the cold list:\n{cold.Describe()}");
            }
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    private Process StartServer(string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
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

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
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
