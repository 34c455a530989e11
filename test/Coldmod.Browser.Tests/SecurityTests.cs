using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Coldmod.TestSupport;
using static Microsoft.Playwright.Assertions;

namespace Coldmod.Browser.Tests;

// A server on TLS with an API key: the page, its assets and its live connection need the password, and the live
// connection must come from the page's own origin.
public sealed class SecurityTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private const string ApiKey = "s3cret-key";

    private readonly TestAuthority _authority = new();
    private WebServer _server = default!;

    public async Task InitializeAsync()
    {
        _server = await WebServer.StartAsync(_authority, ApiKey);
        await _server.SetAsync("shop", [("Shop.A.M", "A.cs", 1), ("Shop.A.N", "A.cs", 5)]);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _authority.Dispose();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task The_page_without_the_right_password_is_refused(string? password)
    {
        await using var context = await chromium.NewContextAsync(password);
        var page = await context.NewPageAsync();

        // Chromium either shows the 401 page or, having offered credentials that the server refused again, fails
        // the navigation with ERR_INVALID_AUTH_CREDENTIALS.
        try
        {
            var response = await page.GotoAsync(_server.Web.ToString());
            Assert.Equal(401, response!.Status);
        }
        catch (Microsoft.Playwright.PlaywrightException e) when (e.Message.Contains("ERR_INVALID_AUTH_CREDENTIALS", StringComparison.Ordinal))
        {
        }

        await Expect(page.GetByTestId("tree")).ToHaveCountAsync(0);
        Assert.DoesNotContain(ApiKey, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_right_password_the_page_goes_live_and_never_shows_the_key()
    {
        await using var context = await chromium.NewContextAsync(ApiKey);
        var page = await context.NewPageAsync();

        await BrowserConsole.OpenLiveAsync(page, _server.Web);

        await Expect(page.Locator("li[data-name='Shop']").First).ToBeVisibleAsync();
        Assert.DoesNotContain(ApiKey, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_live_connection_opened_from_another_origin_is_refused()
    {
        await using var context = await chromium.NewContextAsync(ApiKey);
        var page = await context.NewPageAsync();
        await BrowserConsole.OpenLiveAsync(page, _server.Web);
        var port = _server.Web.Port;

        // The page at 127.0.0.1 opens the hub at localhost: same server and password, another origin.
        const string Open = """
            url => new Promise(done => {
                const socket = new WebSocket(url);
                socket.onopen = () => { socket.close(); done("open"); };
                socket.onerror = () => done("refused");
                setTimeout(() => done("timeout"), 10000);
            })
            """;
        var sameOrigin = await page.EvaluateAsync<string>(Open, $"wss://127.0.0.1:{port}/_blazor");
        var otherOrigin = await page.EvaluateAsync<string>(Open, $"wss://localhost:{port}/_blazor");

        Assert.Equal(("open", "refused"), (sameOrigin, otherOrigin));
    }

    [Fact]
    public async Task Every_response_carries_the_security_headers_and_bad_input_is_a_clear_4xx()
    {
        using var http = Client(ApiKey);

        using var page = await http.GetAsync(_server.Web);
        var csp = string.Join(", ", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("script-src 'self' 'unsafe-inline'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.DoesNotContain("<script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var unknownApp = await http.GetAsync(new Uri(_server.Web, "?app=ghost"));
        using var unknownDownload = await http.GetAsync(new Uri(_server.Web, "download/ghost.csv"));
        using var badBand = await http.GetAsync(new Uri(_server.Web, "download/shop.csv?bands=warm"));
        using var badDate = await http.GetAsync(new Uri(_server.Web, "download/shop.json?since=yesterday"));
        Assert.Equal(
            (HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest),
            (unknownApp.StatusCode, unknownDownload.StatusCode, badBand.StatusCode, badDate.StatusCode));
        Assert.Contains("'warm' is not a band", await badBand.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("YYYY-MM-DD", await badDate.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Assets_downloads_and_the_live_endpoint_need_the_password_and_a_foreign_origin_cannot_negotiate()
    {
        using var anonymous = Client(password: null);
        foreach (var path in new[] { "_framework/blazor.web.js", "app.css", "download/shop.csv", "api/status" })
        {
            using var response = await anonymous.GetAsync(new Uri(_server.Web, path));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var http = Client(ApiKey);
        using var asset = await http.GetAsync(new Uri(_server.Web, "_framework/blazor.web.js"));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.True((await asset.Content.ReadAsByteArrayAsync()).Length > 10_000);

        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(http, "https://evil.example"));
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync(http, $"https://127.0.0.1:{_server.Web.Port}"));
    }

    private async Task<HttpStatusCode> NegotiateAsync(HttpClient http, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_server.Web, "_blazor/negotiate?negotiateVersion=1"));
        request.Headers.Add("Origin", origin);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private HttpClient Client(string? password)
    {
        var http = new HttpClient(new HttpClientHandler { ServerCertificateCustomValidationCallback = _authority.Trusts }) { Timeout = TimeSpan.FromSeconds(30) };
        if (password is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"coldmod:{password}")));
        }

        return http;
    }
}
