using Coldmod.TestSupport;

namespace Coldmod.Cli.Tests;

// fetch against a server that requires TLS and a bearer key: the CLI trusts the CA from COLDMOD_TLS_CA and sends
// COLDMOD_API_KEY, and each way that can go wrong is one line that names it.
[Collection(SampleCheckoutCollection.Name)]
public sealed class FetchOverTlsTests : IClassFixture<FetchOverTlsTests.SecureShopBackend>
{
    private const string ApiKey = "cli-tls-key-4567";

    private readonly SampleCheckout _sample;
    private readonly SecureShopBackend _backend;

    public FetchOverTlsTests(SampleCheckout sample, SecureShopBackend backend)
    {
        _sample = sample;
        _backend = backend;
    }

    [Fact]
    public void With_the_CA_and_the_key_fetch_prints_the_heatmap()
    {
        var result = Cli.Run(_sample.Root, ClientEnvironment(ApiKey, _backend.Authority.CaPath), "fetch");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(FetchCommandTests.ColdText, FetchFromServerTests.WithoutSeen(result.Out));
        Assert.Equal("9 cold of 14 srcs (64%); 2 heatmap keys not found locally", result.ErrorLines[^1]);
    }

    [Fact]
    public void A_wrong_key_is_one_line_saying_the_key_was_refused()
    {
        var result = Cli.Run(_sample.Root, ClientEnvironment("not-the-key", _backend.Authority.CaPath), "fetch");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"coldmod: error: The server at {_backend.Served.GrpcHost} refused the request as unauthenticated (", line, StringComparison.Ordinal);
        Assert.Contains("wrong API key", line, StringComparison.Ordinal);
        Assert.Contains("COLDMOD_API_KEY", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_COLDMOD_TLS_CA_the_untrusted_certificate_is_one_line()
    {
        var result = Cli.Run(_sample.Root, ClientEnvironment(ApiKey, caFile: null), "fetch");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal("", result.Out);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("coldmod: error: ", line, StringComparison.Ordinal);
        Assert.Contains(_backend.Served.GrpcHost, line, StringComparison.Ordinal);
        Assert.Contains("certificate", line, StringComparison.OrdinalIgnoreCase);
        Assert.True(line.Contains("Set COLDMOD_TLS_CA", StringComparison.Ordinal), line);
        Assert.DoesNotContain("coldmod serve", line, StringComparison.Ordinal);
    }

    private Dictionary<string, string> ClientEnvironment(string apiKey, string? caFile)
    {
        var environment = new Dictionary<string, string>
        {
            ["COLDMOD_GRPC_HOST"] = _backend.Served.GrpcHost,
            ["COLDMOD_API_KEY"] = apiKey,
        };
        if (caFile is not null)
        {
            environment["COLDMOD_TLS_CA"] = caFile;
        }

        return environment;
    }

    public sealed class SecureShopBackend : IDisposable
    {
        public SecureShopBackend()
        {
            Served = new ServedBackend(Authority, ApiKey);
            FetchFromServerTests.ShopBackend.Seed(Served);
        }

        public TestAuthority Authority { get; } = new();

        public ServedBackend Served { get; }

        public void Dispose()
        {
            Served.Dispose();
            Authority.Dispose();
        }
    }
}
