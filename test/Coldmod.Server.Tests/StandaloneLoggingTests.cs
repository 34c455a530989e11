using Coldmod.TestSupport;

namespace Coldmod.Server.Tests;

// The server run on its own (`dotnet Coldmod.Server.dll`), as a service manager runs it: its console, not a test sink.
public sealed class StandaloneLoggingTests
{
    private static readonly string s_server = typeof(ColdmodServer).Assembly.Location;

    [Fact]
    public async Task The_standalone_server_does_not_print_a_line_per_request()
    {
        using var server = await ServerChildProcess.StartAsync(s_server, [], new Dictionary<string, string>());
        using (var http = new HttpClient())
        {
            for (var i = 0; i < 3; i++)
            {
                using var page = await http.GetAsync(server.WebAddress);
                page.EnsureSuccessStatusCode();
            }
        }

        Assert.Equal(0, await server.StopAsync());

        var output = server.Output;
        Assert.Contains($"Coldmod server: gRPC on 127.0.0.1:{server.GrpcPort}, web on 127.0.0.1:{server.WebPort}, insecure", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Request starting", output, StringComparison.Ordinal);
        Assert.DoesNotContain("Microsoft.AspNetCore", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_COLDMOD_LOG_LEVEL_stops_the_start_with_one_line_naming_the_variable_and_the_levels()
    {
        using var server = ServerChildProcess.Run(s_server, [], new Dictionary<string, string> { ["COLDMOD_LOG_LEVEL"] = "verbose" });

        Assert.Equal(1, await server.WaitForExitAsync());

        Assert.Equal(
            "coldmod server: COLDMOD_LOG_LEVEL is not valid: 'verbose' is not a log level: use one of trace, debug, information, warning, error, critical, none",
            server.Output.Trim());
    }
}
