using System.Collections.Concurrent;
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
        var webPort = FreePort();
        var environment = new Dictionary<string, string?>(coldmod.ChildEnvironment)
        {
            ["COLDMOD_INSECURE"] = "on",
            ["COLDMOD_GRPC_HOST"] = $"127.0.0.1:{grpcPort}",
            ["COLDMOD_WEB_HOST"] = $"127.0.0.1:{webPort}",
            ["COLDMOD_STORE"] = store,
        };

        var serverOutput = new ConcurrentQueue<string>();
        using var server = StartServer(shop.Workspace.ProjectDirectory, environment, serverOutput);
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

            await AssertThePageIsServedWithItsAssetsAsync(webPort, serverOutput);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }
    }

    // The tool is installed from the packed feed, so this is the page as a user of the tool gets it: the page, the
    // Blazor script, the styles and QuickGrid's module, each the file itself.
    private static async Task AssertThePageIsServedWithItsAssetsAsync(int webPort, ConcurrentQueue<string> serverOutput)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}/"), Timeout = TimeSpan.FromSeconds(30) };
        var page = await http.GetStringAsync("/");
        Assert.Contains("_framework/blazor.web.js", page, StringComparison.Ordinal);
        foreach (var (asset, text) in new[]
        {
            ("_framework/blazor.web.js", "Blazor"),
            ("app.css", "{"),
            ("Coldmod.Server.styles.css", "{"),
            ("_content/Microsoft.AspNetCore.Components.QuickGrid/QuickGrid.razor.js", "export"),
        })
        {
            using var response = await http.GetAsync(asset);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode && body.Contains(text, StringComparison.Ordinal), $"{asset}: {(int)response.StatusCode}, {body.Length} chars");
        }

        Assert.DoesNotContain(serverOutput, line => line.Contains("assets are not in this installation", StringComparison.Ordinal));
    }

    private Process StartServer(string workingDirectory, IReadOnlyDictionary<string, string?> environment, ConcurrentQueue<string> output)
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
        process.OutputDataReceived += (_, e) => Keep(output, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
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
