using Coldmod.Runtime;
using Coldmod.TestSupport;
using Grpc.Core;

namespace Coldmod.Sender.Tests;

// ColdmodTracing.Start against a server that requires TLS and a bearer key, trusting the test CA from TlsCaFile.
[Collection(nameof(SequentialCollection))]
public sealed class TlsSenderTests : IDisposable
{
    private const string ApiKey = "sender-tls-key-0123";

    private static readonly TimeSpan s_arrival = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _temp = new("coldmod-sender-tls-store");
    private readonly TestAuthority _authority = new();

    public TlsSenderTests() => ProcessTracing.Forget();

    public void Dispose()
    {
        ProcessTracing.Forget();
        _authority.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public async Task With_the_CA_and_the_right_key_counts_arrive_exactly()
    {
        await using var server = await SecureServer.StartAsync(_authority, _temp.Combine("heatmap.db"), ApiKey);
        var module = new TestModule("TlsRight", 3);
        using var stderr = new StderrCapture();

        Assert.True(ColdmodTracing.Start(Options(server, "tls-right-app", ApiKey, _authority.CaPath)));
        for (var i = 0; i < 4; i++)
        {
            module.Hit(1);
        }

        module.Hit(2);

        var expected = new Dictionary<string, ulong> { [module.Keys[0]] = 0, [module.Keys[1]] = 4, [module.Keys[2]] = 1 };
        var fetched = await server.WaitForCountsAsync("tls-right-app", expected, s_arrival);
        Assert.Equal(expected, expected.Keys.ToDictionary(k => k, k => fetched.GetValueOrDefault(k), StringComparer.Ordinal));
        Assert.Empty(stderr.Lines);
    }

    [Fact]
    public async Task With_a_wrong_key_the_sender_says_so_once_and_no_count_arrives()
    {
        await using var server = await SecureServer.StartAsync(_authority, _temp.Combine("heatmap.db"), ApiKey);
        var module = new TestModule("TlsWrong", 2);
        using var stderr = new StderrCapture();

        Assert.True(ColdmodTracing.Start(Options(server, "tls-wrong-app", "not-the-key", _authority.CaPath)));
        module.Hit(0);
        module.Hit(1);
        var reported = await WaitForLinesAsync(stderr, s_arrival);
        // Several flush intervals and retries, so a count that could get through would have.
        await Task.Delay(TimeSpan.FromSeconds(1));

        var line = Assert.Single(stderr.Lines);
        Assert.NotEmpty(reported);
        Assert.StartsWith("coldmod: ", line, StringComparison.Ordinal);
        Assert.Contains("Unauthenticated", line, StringComparison.Ordinal);
        Assert.Contains("wrong API key", line, StringComparison.Ordinal);
        Assert.Contains("COLDMOD_API_KEY", line, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot reach", line, StringComparison.Ordinal);
        var refused = await Assert.ThrowsAsync<RpcException>(() => server.FetchAllAsync("tls-wrong-app"));
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
    }

    [Fact]
    public void A_CA_file_that_does_not_exist_is_one_line_naming_COLDMOD_TLS_CA_and_tracing_stays_off()
    {
        using var stderr = new StderrCapture();

        var started = ColdmodTracing.Start(new ColdmodTracingOptions
        {
            GrpcHost = "127.0.0.1:7777",
            App = "tls-missing-ca-app",
            Insecure = false,
            ApiKey = ApiKey,
            TlsCaFile = _authority.MissingPath,
        });

        Assert.False(started);
        var line = Assert.Single(stderr.Lines);
        Assert.Contains("COLDMOD_TLS_CA", line, StringComparison.Ordinal);
        Assert.Contains(_authority.MissingPath, line, StringComparison.Ordinal);
    }

    private static ColdmodTracingOptions Options(SecureServer server, string app, string apiKey, string caFile) => new()
    {
        GrpcHost = server.GrpcHost,
        App = app,
        Insecure = false,
        ApiKey = apiKey,
        TlsCaFile = caFile,
        FlushInterval = TimeSpan.FromMilliseconds(50),
    };

    private static async Task<string[]> WaitForLinesAsync(StderrCapture stderr, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (stderr.Lines.Length == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        return stderr.Lines;
    }
}
