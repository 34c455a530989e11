using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Coldmod.Protocol;
using Coldmod.Server.Tests.Infrastructure;
using Coldmod.TestSupport;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;
using static Coldmod.Server.Tests.Infrastructure.Wire;

namespace Coldmod.Server.Tests;

public sealed class SecurityTests(TestCertificates certificates, ITestOutputHelper output) : IClassFixture<TestCertificates>, IDisposable
{
    private const string ApiKey = "s3cret-Key-for-tests";

    private readonly TempDirectory _directory = new("coldmod-secure");

    private ServerSettings Settings => new()
    {
        Store = _directory.Combine("coldmod.db"),
        Insecure = "",
        TlsCert = certificates.CertificatePath,
        TlsKey = certificates.KeyPath,
        ApiKey = ApiKey,
    };

    public static TheoryData<string?, string> RefusedAuthorizations => new()
    {
        { null, "no API key" },
        { "Bearer wrong-key", "wrong API key" },
        { "Bearer s3cret-Key-for-test", "wrong API key" },
        { "Bearer s3cret-Key-for-tests2", "wrong API key" },
        { $"Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("coldmod:" + ApiKey))}", "the authorization is not a bearer token" },
    };

    [Theory]
    [MemberData(nameof(RefusedAuthorizations))]
    public async Task Calls_without_the_right_bearer_key_are_Unauthenticated(string? authorization, string problem)
    {
        await using var server = await ServerHost.StartInProcessAsync(Settings, output);
        var headers = authorization is null ? null : new Metadata { { "authorization", authorization } };

        var unary = await Assert.ThrowsAsync<RpcException>(() => server.Traces.SetAsync(Set("shop", "A.M"), headers, Deadline).ResponseAsync);
        var ops = await Assert.ThrowsAsync<RpcException>(() => server.Ops.ResetAllAsync(new ResetRequest(), headers, Deadline).ResponseAsync);
        var stream = await CollectRefusalAsync(server.Traces, headers);

        Assert.All([unary, ops, stream], e => Assert.Equal(StatusCode.Unauthenticated, e.StatusCode));
        Assert.StartsWith(problem + ":", unary.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("Bearer <COLDMOD_API_KEY>", unary.Status.Detail, StringComparison.Ordinal);
        var status = await server.Ops.StatusAsync(new StatusRequest(), Bearer(ApiKey), Deadline);
        Assert.Empty(status.Apps);
    }

    [Fact]
    public async Task Calls_with_the_right_bearer_key_succeed()
    {
        await using var server = await ServerHost.StartInProcessAsync(Settings, output);

        await server.Traces.SetAsync(Set("shop", "A.M"), Bearer(ApiKey), Deadline);
        var acks = await CollectAsync(server.Traces, [Batch("shop", "p1", 1, ("A.M", 2))], Bearer(ApiKey));

        Assert.True(Assert.Single(acks).Applied);
        Assert.Equal(2UL, (await server.Traces.FetchAsync(new FetchRequest { App = "shop", All = true }, Bearer(ApiKey), Deadline)).Srcs[0].Count);
    }

    [Fact]
    public async Task Over_TLS_a_client_that_trusts_the_test_CA_and_sends_the_key_gets_through()
    {
        await using var server = await ServerHost.StartKestrelAsync(Settings, output, address => GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = new HttpClientHandler { ServerCertificateCustomValidationCallback = certificates.Validate },
        }));

        await server.Traces.SetAsync(Set("shop", "A.M"), Bearer(ApiKey), Deadline);
        var acks = await CollectAsync(server.Traces, [Batch("shop", "p1", 1, ("A.M", 5))], Bearer(ApiKey));
        var refused = await Assert.ThrowsAsync<RpcException>(() => server.Ops.StatusAsync(new StatusRequest(), Bearer("nope"), Deadline).ResponseAsync);

        Assert.True(Assert.Single(acks).Applied);
        Assert.Equal(5UL, (await server.Traces.FetchAsync(new FetchRequest { App = "shop", All = true }, Bearer(ApiKey), Deadline)).Srcs[0].Count);
        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
    }

    [Fact]
    public async Task Over_TLS_a_client_that_does_not_trust_the_CA_cannot_connect()
    {
        await using var server = await ServerHost.StartKestrelAsync(Settings, output);

        var error = await Assert.ThrowsAsync<RpcException>(() => server.Ops.StatusAsync(new StatusRequest(), Bearer(ApiKey), Deadline).ResponseAsync);

        // grpc-dotnet reports a failed TLS handshake as INTERNAL or UNAVAILABLE depending on where it fails.
        Assert.True(error.StatusCode is StatusCode.Internal or StatusCode.Unavailable, error.ToString());
        Assert.Contains("SSL", error.Status.DebugException?.ToString() ?? error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_status_page_needs_basic_auth_and_the_health_probe_does_not()
    {
        await using var server = await ServerHost.StartKestrelAsync(Settings, output);
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = certificates.Validate };
        using var web = new HttpClient(handler) { BaseAddress = server.WebAddress, Timeout = CallTimeout };

        using var health = await web.GetAsync(new Uri("/healthz", UriKind.Relative));
        using var anonymous = await web.GetAsync(new Uri("/api/status", UriKind.Relative));
        using var wrong = await web.SendAsync(StatusRequestWith("coldmod", "wrong"));
        using var right = await web.SendAsync(StatusRequestWith("coldmod", ApiKey));

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    public void Dispose() => _directory.Dispose();

    // The server may refuse the call before the client's first write is out, so the status is read
    // from the response side.
    private static async Task<RpcException> CollectRefusalAsync(Traces.TracesClient client, Metadata? headers)
    {
        using var call = client.Collect(headers, Deadline);
        try
        {
            await call.RequestStream.WriteAsync(Batch("shop", "p1", 1, ("A.M", 1)));
        }
        catch (RpcException)
        {
        }

        return await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
    }

    private static Metadata Bearer(string key) => new() { { "authorization", $"Bearer {key}" } };

    private static HttpRequestMessage StatusRequestWith(string user, string password) => new(HttpMethod.Get, "/api/status")
    {
        Headers = { Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"))) },
    };
}
