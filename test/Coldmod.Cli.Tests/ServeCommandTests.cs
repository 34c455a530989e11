using Coldmod.Protocol;
using Coldmod.TestSupport;

namespace Coldmod.Cli.Tests;

public sealed class ServeCommandTests
{
    [Fact]
    public void Serve_answers_until_stopped_then_exits_cleanly_with_its_store_kept()
    {
        string store;
        using (var backend = new ServedBackend())
        {
            store = backend.Environment["COLDMOD_STORE"];
            backend.Set("Shop", ("Shop.A", "a.cs", 1));

            var status = backend.Ops.Status(new StatusRequest(), deadline: DateTime.UtcNow.AddSeconds(20));

            Assert.Equal(["Shop"], status.Apps);
            Assert.Equal(0, backend.Stop());
            Assert.True(File.Exists(store));
        }
    }

    [Fact]
    public void A_server_that_cannot_start_exits_with_1()
    {
        using var directory = new TempDirectory("coldmod-serve");
        var environment = new Dictionary<string, string>
        {
            ["COLDMOD_GRPC_HOST"] = "not a host",
            ["COLDMOD_INSECURE"] = "on",
            ["COLDMOD_STORE"] = directory.Combine("x.db"),
        };

        var result = Cli.Run(directory.Path, environment, "serve");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
    }

    [Fact]
    public void Help_lists_every_setting_with_its_default()
    {
        var result = Cli.Run(Path.GetTempPath(), "serve", "--help");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        foreach (var setting in new[]
        {
            "COLDMOD_GRPC_HOST         host:port of the gRPC listener (default 127.0.0.1:7777)",
            "COLDMOD_WEB_HOST          host:port of the web UI (default 127.0.0.1:7778)",
            "COLDMOD_STORE", "COLDMOD_INSECURE", "COLDMOD_API_KEY", "COLDMOD_TLS_CERT", "COLDMOD_TLS_KEY", "COLDMOD_MAX_MESSAGE_SIZE",
        })
        {
            Assert.Contains(setting, result.Out, StringComparison.Ordinal);
        }
    }
}
