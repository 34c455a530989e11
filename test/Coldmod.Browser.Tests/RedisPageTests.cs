using Coldmod.Server.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Coldmod.Browser.Tests;

// Two server instances on one real redis-server, the page served by A while every Set and count reaches B only: the
// page reads through the Redis store, and B's changes reach A's page through Redis (counts and, which nothing but
// the change channel tells A, a new build's srcs).
public sealed class RedisPageTests(Chromium chromium, RedisServer redis) : IClassFixture<Chromium>, IClassFixture<RedisServer>, IAsyncLifetime
{
    private static readonly LocatorAssertionsToHaveTextOptions s_live = new() { Timeout = 15_000 };

    private static readonly (string Key, string File, int Line)[] s_build1 =
    [
        ("Shop.Orders.OrderService.Place", "src/Orders/OrderService.cs", 12),
        ("Shop.Orders.OrderService.Cancel", "src/Orders/OrderService.cs", 30),
        ("Shop.Orders.Refunds.Issue", "src/Orders/Refunds.cs", 8),
        ("Shop.Legacy.Importer.Run", "src/Legacy/Importer.cs", 5),
    ];

    private WebServer _a = default!;
    private WebServer _b = default!;
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public async Task InitializeAsync()
    {
        await redis.FlushAsync();
        _a = await WebServer.StartAsync(store: redis.Url);
        _b = await WebServer.StartAsync(store: redis.Url);
        await _b.SetAsync("shop", s_build1);
        await _b.SendAsync("shop", ("Shop.Orders.OrderService.Place", 40));
        _context = await chromium.NewContextAsync();
        _page = await _context.NewPageAsync();
        await BrowserConsole.OpenLiveAsync(_page, new Uri(_a.Web, "?app=shop"));
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    private ILocator Node(string name) => _page.Locator($"li[data-name='{name}']").First;

    private ILocator Ratio(string name) => Node(name).Locator("> .row [data-testid=ratio]");

    [Fact]
    public async Task A_page_on_one_instance_shows_the_Redis_heatmap_and_follows_counts_and_builds_that_reach_another()
    {
        await Expect(Ratio("Shop.Orders")).ToHaveTextAsync("2/3");
        await Expect(Ratio("Shop.Legacy")).ToHaveTextAsync("1/1");
        await Expect(_page.Locator("[data-app=shop] [data-testid=app-hits]")).ToHaveTextAsync("40 hits");

        await _b.SendAsync("shop", ("Shop.Orders.Refunds.Issue", 2), ("Shop.Legacy.Importer.Run", 1));

        await Expect(Ratio("Shop.Orders")).ToHaveTextAsync("1/3", s_live);
        await Expect(Ratio("Shop.Legacy")).ToHaveTextAsync("0/1", s_live);
        await Expect(_page.Locator("[data-app=shop] [data-testid=app-hits]")).ToHaveTextAsync("43 hits", s_live);

        // A new build with a namespace of its own: A's view reloads the heatmap only when told the srcs changed.
        await _b.SetAsync("shop", [.. s_build1, ("Shop.Billing.Invoice.Print", "src/Billing/Invoice.cs", 3)]);

        await Expect(Ratio("Shop.Billing")).ToHaveTextAsync("1/1", s_live);
        await Expect(_page.Locator("[data-app=shop] [data-testid=app-cold]")).ToContainTextAsync("2 cold of 5", new() { Timeout = 15_000 });
    }
}
