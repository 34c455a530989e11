using Coldmod.Cli.Commands;
using Coldmod.Protocol;
using Coldmod.TestSupport;
using Grpc.Net.Client;

namespace Coldmod.Cli.Tests;

// What `coldmod serve` prints while it answers requests, read from a real `dotnet coldmod.dll serve` process's console.
public sealed class ServeLoggingTests
{
    private static readonly string s_coldmod = typeof(Program).Assembly.Location;

    [Fact]
    public async Task By_default_serve_prints_its_own_lines_and_not_one_per_request()
    {
        using var server = await ServerChildProcess.StartAsync(s_coldmod, ["serve"], new Dictionary<string, string>());

        await AnswerRequestsAsync(server);
        Assert.Equal(ExitCodes.Success, await server.StopAsync());

        var output = server.Output;
        Assert.Contains($"Coldmod server: gRPC on 127.0.0.1:{server.GrpcPort}, web on 127.0.0.1:{server.WebPort}, insecure", output, StringComparison.Ordinal);
        Assert.Contains("Closed the store", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Request starting", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.AspNetCore", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.Hosting.Lifetime", output, StringComparison.Ordinal);
        Assert.DoesNotContain("dbug:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_usual_logging_variables_bring_request_lines_back_and_COLDMOD_LOG_LEVEL_sets_Coldmods_own_level()
    {
        using var server = await ServerChildProcess.StartAsync(s_coldmod, ["serve"], new Dictionary<string, string>
        {
            ["Logging__LogLevel__Microsoft.AspNetCore"] = "Information",
            ["COLDMOD_LOG_LEVEL"] = "debug",
        });

        await AnswerRequestsAsync(server);
        Assert.Equal(ExitCodes.Success, await server.StopAsync());

        var output = server.Output;
        Assert.Contains($"Request starting HTTP/1.1 GET {server.WebAddress}", output, StringComparison.Ordinal);
        Assert.Contains("dbug: Coldmod.Server.Internal.Services.TracesService[24]", output, StringComparison.Ordinal);
        Assert.Contains("ended: the client completed its stream, 1 batches acknowledged", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task COLDMOD_LOG_LEVEL_warning_keeps_Coldmods_warnings_and_drops_its_information()
    {
        using var server = await ServerChildProcess.StartAsync(s_coldmod, ["serve"], new Dictionary<string, string> { ["COLDMOD_LOG_LEVEL"] = "Warning" });

        await AnswerRequestsAsync(server);
        Assert.Equal(ExitCodes.Success, await server.StopAsync());

        var output = server.Output;
        Assert.Contains("warn: Coldmod.Server.ColdmodServer[41]", output, StringComparison.Ordinal);
        Assert.DoesNotContain("info:", output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_COLDMOD_LOG_LEVEL_is_a_usage_error_that_names_the_variable_and_the_levels()
    {
        using var directory = new TempDirectory("coldmod-serve-level");
        var environment = new Dictionary<string, string>
        {
            ["COLDMOD_INSECURE"] = "on",
            ["COLDMOD_GRPC_HOST"] = $"127.0.0.1:{LoopbackPort.Free()}",
            ["COLDMOD_WEB_HOST"] = $"127.0.0.1:{LoopbackPort.Free()}",
            ["COLDMOD_STORE"] = directory.Combine("x.db"),
            ["COLDMOD_LOG_LEVEL"] = "loud",
        };
        using var error = new StringWriter { NewLine = "\n" };
        // Bounds a serve that wrongly starts, so the test fails rather than hangs.
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var context = new CommandContext(TextWriter.Null, error, directory.Path) { Environment = environment.GetValueOrDefault, Stopping = stop.Token };

        var exitCode = Program.Run(["serve"], context);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains("COLDMOD_LOG_LEVEL='loud' is not a log level: use one of trace, debug, information, warning, error, critical, none.", error.ToString(), StringComparison.Ordinal);
        Assert.False(File.Exists(directory.Combine("x.db")));
    }

    // A page load and the gRPC calls an app makes: Set, then one batch on a Collect stream that the client completes.
    private static async Task AnswerRequestsAsync(ServerChildProcess server)
    {
        using (var http = new HttpClient())
        {
            using var page = await http.GetAsync(server.WebAddress);
            page.EnsureSuccessStatusCode();
        }

        using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{server.GrpcPort}");
        var traces = new Traces.TracesClient(channel);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        await traces.SetAsync(new SetRequest { App = "Shop", Srcs = { new Src { Key = "Shop.A", File = "a.cs", Line = 1 } } }, deadline: deadline);
        using var call = traces.Collect(deadline: deadline);
        await call.RequestStream.WriteAsync(new Batch { App = "Shop", ProcessId = "p1", Sequence = 1, Hits = { new Hit { Key = "Shop.A", Count = 2 } } });
        Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext(CancellationToken.None));
    }
}
