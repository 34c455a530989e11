using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using System.Xml.Linq;
using Coldmod.EndToEnd.Tests.Infrastructure;

namespace Coldmod.EndToEnd.Tests;

/// <summary>
/// The minimal-API sample (samples/TodoApi), woven from the packed package, serves requests on a free loopback port
/// and is stopped with SIGTERM, as a container platform stops it: every handler (lambda, method group, controller
/// action, hosted service) is a src, counted exactly, and `coldmod fetch` names the endpoints by their routes.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class TodoApiTests(PackagedColdmod coldmod)
{
    private const string Configuration = "Release";
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan s_stopTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_endpoint_is_a_src_counted_per_request_and_fetch_names_the_cold_ones_by_route()
    {
        var project = CopySample();
        var build = await coldmod.DotNetAsync(project, ["build", "--configuration", Configuration, "--packages", coldmod.PackagesFolder, "-nodeReuse:false", "-p:UseSharedCompilation=false"], PackagedColdmod.BuildTimeout);
        Assert.True(build.Succeeded, build.Describe());
        Assert.Contains("Coldmod: wove", build.Output, StringComparison.Ordinal);

        var port = FreePort();
        var heatmapPath = Path.Combine(project, "heatmap.json");
        using var app = Start(project, port, heatmapPath);
        int rootCalls;
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(10) };
            rootCalls = await WaitUntilServingAsync(http, app);
            for (var i = 0; i < 2; i++)
            {
                (await http.GetAsync(new Uri("/todos/", UriKind.Relative))).EnsureSuccessStatusCode();
            }

            (await http.PostAsJsonAsync(new Uri("/todos/", UriKind.Relative), new { title = "write the report" })).EnsureSuccessStatusCode();
            for (var i = 0; i < 3; i++)
            {
                (await http.GetAsync(new Uri("/todos/1", UriKind.Relative))).EnsureSuccessStatusCode();
            }

            (await http.GetAsync(new Uri("/api/Stats/count", UriKind.Relative))).EnsureSuccessStatusCode();
        }
        finally
        {
            await StopWithSigtermAsync(app);
        }

        Assert.Equal(0, app.ExitCode);
        Assert.True(File.Exists(heatmapPath), "the app wrote no heatmap at exit");

        var fetch = await ChildProcess.RunAsync(coldmod.ColdmodTool, ["fetch", "--from", heatmapPath, "--all", "--format", "json"], project, coldmod.ChildEnvironment, PackagedColdmod.RunTimeout);
        Assert.True(fetch.Succeeded, fetch.Describe());
        var json = fetch.Output[fetch.Output.IndexOf('{', StringComparison.Ordinal)..(fetch.Output.LastIndexOf('}') + 1)];
        var byLabel = JsonDocument.Parse(json).RootElement.GetProperty("entries").EnumerateArray()
            .Where(e => e.TryGetProperty("label", out _))
            .ToDictionary(e => e.GetProperty("label").GetString()!, e => e.GetProperty("count").GetInt64(), StringComparer.Ordinal);
        var expected = new Dictionary<string, long>
        {
            ["GET /"] = rootCalls,
            ["GET /todos/"] = 2,
            ["POST /todos/"] = 1,
            ["GET /todos/{id}"] = 3,
            ["DELETE /todos/{id}"] = 0,
            ["PUT /todos/{id}/done"] = 0,
            ["GET api/Stats/count"] = 1,
            ["GET api/Stats/oldest"] = 0,
            ["hosted service"] = 1,
        };
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), byLabel.OrderBy(p => p.Key, StringComparer.Ordinal));

        var cold = await ChildProcess.RunAsync(coldmod.ColdmodTool, ["fetch", "--from", heatmapPath], project, coldmod.ChildEnvironment, PackagedColdmod.RunTimeout);
        Assert.True(cold.Succeeded, cold.Describe());
        Assert.Contains("  0  DELETE /todos/{id}  Todos/TodoApi.cs:1", cold.Output, StringComparison.Ordinal);
        Assert.Contains("  0  PUT /todos/{id}/done  Todos/TodoApi.cs:", cold.Output, StringComparison.Ordinal);
        Assert.Contains("  0  GET api/Stats/oldest  Controllers/StatsController.cs:", cold.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("GET /todos/{id}", cold.Output, StringComparison.Ordinal);

        // Top-level statements are a src like any method, so srcs lists Program.cs as files does.
        var files = await ChildProcess.RunAsync(coldmod.ColdmodTool, ["files"], project, coldmod.ChildEnvironment, PackagedColdmod.RunTimeout);
        var srcs = await ChildProcess.RunAsync(coldmod.ColdmodTool, ["srcs"], project, coldmod.ChildEnvironment, PackagedColdmod.RunTimeout);
        Assert.Contains("Program.cs", files.Output, StringComparison.Ordinal);
        Assert.Contains("\nProgram.cs\n", "\n" + srcs.Output, StringComparison.Ordinal);
        Assert.Contains("  GET /todos/{id}  Todos/TodoApi.cs:12  TodoApi.Todos.TodoApi.MapTodos(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)=>1", srcs.Output, StringComparison.Ordinal);
    }

    private string CopySample()
    {
        var workspace = Path.Combine(coldmod.Root, $"todoapi-{Guid.NewGuid():N}");
        var samples = Path.Combine(coldmod.RepositoryRoot, "samples");
        CopyDirectory(Path.Combine(samples, "TodoApi"), Path.Combine(workspace, "TodoApi"));
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props", ".editorconfig" })
        {
            File.Copy(Path.Combine(samples, file), Path.Combine(workspace, file));
        }

        var projectFile = Path.Combine(workspace, "TodoApi", "TodoApi.csproj");
        var document = XDocument.Load(projectFile, LoadOptions.PreserveWhitespace);
        document.Descendants("PackageReference").Single(r => (string?)r.Attribute("Include") == "Coldmod").SetAttributeValue("Version", coldmod.Version);
        document.Save(projectFile);
        return Path.Combine(workspace, "TodoApi");
    }

    private Process Start(string project, int port, string heatmapPath)
    {
        var start = new ProcessStartInfo(ChildProcess.DotNetHost, [Path.Combine(project, "bin", Configuration, "net10.0", "TodoApi.dll")])
        {
            WorkingDirectory = project,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in coldmod.ChildEnvironment)
        {
            start.Environment[name] = value;
        }

        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["COLDMOD_HEATMAP_FILE"] = heatmapPath;
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    // Polls GET / until it answers; returns how many times it answered (each answer ran the handler once).
    private static async Task<int> WaitUntilServingAsync(HttpClient http, Process app)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < s_startTimeout)
        {
            Assert.False(app.HasExited, "the sample exited before serving");
            try
            {
                using var response = await http.GetAsync(new Uri("/", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return 1;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        Assert.Fail($"the sample did not serve within {s_startTimeout.TotalSeconds} s");
        return 0;
    }

    private static async Task StopWithSigtermAsync(Process app)
    {
        if (!app.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", app.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!;
            await kill.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(s_stopTimeout);
        try
        {
            await app.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            app.Kill(entireProcessTree: true);
            await app.WaitForExitAsync();
            Assert.Fail($"the sample did not stop within {s_stopTimeout.TotalSeconds} s of SIGTERM");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void CopyDirectory(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)));
        }

        foreach (var child in Directory.EnumerateDirectories(source))
        {
            if (Path.GetFileName(child) is not ("bin" or "obj"))
            {
                CopyDirectory(child, Path.Combine(destination, Path.GetFileName(child)));
            }
        }
    }
}
