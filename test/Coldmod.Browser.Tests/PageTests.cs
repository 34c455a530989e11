using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Coldmod.Browser.Tests;

// The page in Chromium against a real server, with counts sent while it is open.
public sealed class PageTests(Chromium chromium) : IClassFixture<Chromium>, IAsyncLifetime
{
    private static readonly (string Key, string File, int Line)[] s_shop =
    [
        ("Shop.Orders.OrderService.Place(Shop.Orders.Order)", "src/Orders/OrderService.cs", 12),
        ("Shop.Orders.OrderService.Cancel(System.Int32)", "src/Orders/OrderService.cs", 30),
        ("Shop.Orders.Refunds.Issue", "src/Orders/Refunds.cs", 8),
        ("Shop.Legacy.Importer.Run", "src/Legacy/Importer.cs", 5),
        ("Shop.Legacy.Importer.Parse(System.String)", "src/Legacy/Importer.cs", 40),
        ("Shop.Billing.Invoice.Print", "src/Billing/Invoice.cs", 3),
    ];

    private static readonly LocatorAssertionsToHaveTextOptions s_live = new() { Timeout = 15_000 };

    private WebServer _server = default!;
    private IBrowserContext _context = default!;
    private IPage _page = default!;

    public async Task InitializeAsync()
    {
        _server = await WebServer.StartAsync();
        await _server.SetAsync("shop", s_shop);
        await _server.SetAsync("billing", [("Billing.Ledger.Post", "Ledger.cs", 1), ("Billing.Ledger.Void", "Ledger.cs", 9)]);
        await _server.SendAsync("shop", ("Shop.Orders.OrderService.Place(Shop.Orders.Order)", 40), ("Shop.Billing.Invoice.Print", 2));
        _context = await chromium.NewContextAsync();
        _page = await _context.NewPageAsync();
        await BrowserConsole.OpenLiveAsync(_page, new Uri(_server.Web, "?app=shop"));
    }

    public async Task DisposeAsync()
    {
        await _context.DisposeAsync();
        await _server.DisposeAsync();
    }

    private ILocator Node(string name) => _page.Locator($"li[data-name='{name}']").First;

    private ILocator Ratio(string name) => Node(name).Locator("> .row [data-testid=ratio]");

    [Fact]
    public async Task The_tree_shows_cold_over_total_most_cold_first_and_updates_live_as_counts_arrive()
    {
        var top = _page.Locator("[data-testid=tree] > li[data-depth='1']");
        await Expect(top).ToHaveCountAsync(3);
        Assert.Equal(["Shop.Legacy", "Shop.Orders", "Shop.Billing"], await top.EvaluateAllAsync<string[]>("ns => ns.map(n => n.dataset.name)"));
        await Expect(Ratio("Shop.Orders")).ToHaveTextAsync("2/3");

        await _server.SendAsync("shop", ("Shop.Orders.Refunds.Issue", 1));

        await Expect(Ratio("Shop.Orders")).ToHaveTextAsync("1/3", s_live);
        var appCold = _page.Locator("[data-app=shop] [data-testid=app-cold]");
        await Expect(appCold).ToContainTextAsync("3 cold of 6", new() { Timeout = 15_000 });
        await Expect(_page.Locator("[data-app=shop] [data-testid=app-hits]")).ToHaveTextAsync("43 hits", s_live);
    }

    [Fact]
    public async Task Expanded_nodes_stay_expanded_and_the_filters_stay_set_across_live_updates()
    {
        await Node("Shop.Orders").Locator("> .row [data-testid=toggle]").ClickAsync();
        await Node("OrderService").Locator("> .row [data-testid=toggle]").ClickAsync();
        await Expect(Node("Cancel(System.Int32)")).ToBeVisibleAsync();
        await _page.GetByTestId("search").FillAsync("Orders");
        await Expect(_page.GetByTestId("shown")).ToHaveTextAsync("3 of 6 shown", s_live);

        await _server.SendAsync("shop", ("Shop.Orders.OrderService.Cancel(System.Int32)", 5));

        await Expect(Ratio("OrderService")).ToHaveTextAsync("0/2", s_live);
        await Expect(Node("Cancel(System.Int32)")).ToBeVisibleAsync();
        await Expect(_page.GetByTestId("search")).ToHaveValueAsync("Orders");
        await Expect(_page.GetByTestId("shown")).ToHaveTextAsync("3 of 6 shown");

        await Node("Shop.Orders").Locator("> .row [data-testid=toggle]").ClickAsync();
        await Expect(Node("OrderService")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Band_toggles_filter_the_table_and_the_tree()
    {
        var rows = _page.Locator("[data-testid=grid] tbody tr:has(td.key)");
        await Expect(rows).ToHaveCountAsync(6);

        // Only COLD: the four never called.
        foreach (var band in new[] { "P10", "P20", "P40", "P90", "Hot" })
        {
            await _page.Locator($"[data-band={band}]").ClickAsync();
        }

        await Expect(_page.GetByTestId("shown")).ToHaveTextAsync("4 of 6 shown", s_live);
        await Expect(rows).ToHaveCountAsync(4);
        await Expect(Node("Shop.Billing")).ToHaveCountAsync(0);

        // Cold off as well: nothing.
        await _page.Locator("[data-band=Cold]").ClickAsync();
        await Expect(_page.GetByTestId("shown")).ToHaveTextAsync("0 of 6 shown", s_live);

        // P90 alone: the more called of the two called srcs (with two, the upper one is above 50% of them, not 90%).
        await _page.Locator("[data-band=P90]").ClickAsync();
        await Expect(rows).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Expect(rows.First.Locator("td.key")).ToHaveTextAsync("Shop.Orders.OrderService.Place(Shop.Orders.Order)");
    }

    [Fact]
    public async Task The_table_says_how_long_a_cold_key_was_never_called_and_sorts_by_a_column()
    {
        var keys = _page.Locator("[data-testid=grid] tbody td.key");
        await Expect(keys).ToHaveCountAsync(6);
        var status = _page.Locator("[data-testid=grid] tbody tr:has-text('Shop.Legacy.Importer.Run') td.status");
        await Expect(status).ToHaveTextAsync("never called in 0 days");

        await _page.Locator("[data-testid=grid] th.count button.col-title").First.ClickAsync();

        await Expect(keys.First).ToHaveTextAsync("Shop.Orders.OrderService.Place(Shop.Orders.Order)", s_live);
    }

    [Fact]
    public async Task Switching_apps_shows_the_other_apps_heatmap()
    {
        await _page.Locator("[data-app=billing]").ClickAsync();

        await Expect(_page.Locator("[data-testid=tree] > li[data-depth='1']")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Expect(Node("Billing")).ToBeVisibleAsync();
        await Expect(Ratio("Billing")).ToHaveTextAsync("2/2");
        await Expect(_page.Locator("[data-app=billing]")).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.EndsWith("?app=billing", _page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_CSV_download_is_the_current_view()
    {
        await _page.Locator("[data-band=Cold]").ClickAsync();
        await Expect(_page.GetByTestId("shown")).ToHaveTextAsync("2 of 6 shown", s_live);

        var download = await _page.RunAndWaitForDownloadAsync(() => _page.GetByTestId("download-csv").ClickAsync());
        var path = await download.PathAsync();
        var lines = await File.ReadAllLinesAsync(path);

        Assert.Equal("shop-heatmap.csv", download.SuggestedFilename);
        Assert.Equal("key,file,line,count,band,first_seen,last_seen,tracked_since,days_never_called,label", lines[0]);
        Assert.Equal(
            ["Shop.Billing.Invoice.Print,src/Billing/Invoice.cs,3,2,P10", "Shop.Orders.OrderService.Place(Shop.Orders.Order),src/Orders/OrderService.cs,12,40,P90"],
            lines[1..].Select(l => string.Join(',', l.Split(',')[..5])).ToArray());
    }

    [Fact]
    public async Task Entry_points_show_their_labels_and_entry_points_only_filters_with_the_bands_across_live_updates_and_into_the_download()
    {
        const string Map = "TodoApi.Todos.TodoApi.MapTodos(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)";
        await _server.SetAsync("todo",
        [
            ($"{Map}=>0", "Todos/TodoApi.cs", 20, "GET /todos"),
            ($"{Map}=>1", "Todos/TodoApi.cs", 29, "GET /todos/{id}"),
            ("TodoApi.Todos.TodoStore.Find(System.Int32)", "Todos/TodoStore.cs", 9, ""),
            ("TodoApi.Cleanup.ExecuteAsync(System.Threading.CancellationToken)", "Cleanup.cs", 12, "hosted service"),
        ]);
        await _server.SendAsync("todo", ($"{Map}=>0", 3), ("TodoApi.Todos.TodoStore.Find(System.Int32)", 3));
        await _page.Locator("[data-app=todo]").ClickAsync();
        var rows = _page.Locator("[data-testid=grid] tbody tr:has(td.key)");
        await Expect(rows).ToHaveCountAsync(4, new() { Timeout = 15_000 });
        await Expect(_page.Locator("[data-testid=grid] tbody tr:has-text('=>1') td.label")).ToHaveTextAsync("GET /todos/{id}");
        await Expect(_page.Locator("[data-testid=grid] tbody tr:has-text('TodoStore.Find') td.label")).ToHaveTextAsync("");

        await _page.GetByTestId("entry-points").ClickAsync();
        await Expect(_page.GetByTestId("shown")).ToHaveTextAsync("3 of 4 shown", s_live);
        foreach (var band in new[] { "P10", "P20", "P40", "P90", "Hot" })
        {
            await _page.Locator($"[data-band={band}]").ClickAsync();
        }

        // The cold entry points: the endpoint nobody requested and the hosted service.
        await Expect(_page.GetByTestId("shown")).ToHaveTextAsync("2 of 4 shown", s_live);

        await _server.SendAsync("todo", ($"{Map}=>1", 1));

        await Expect(_page.GetByTestId("shown")).ToHaveTextAsync("1 of 4 shown", s_live);
        await Expect(_page.GetByTestId("entry-points")).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(rows).ToHaveCountAsync(1);
        await Expect(rows.First.Locator("td.label")).ToHaveTextAsync("hosted service");
        var download = await _page.RunAndWaitForDownloadAsync(() => _page.GetByTestId("download-csv").ClickAsync());
        var lines = await File.ReadAllLinesAsync(await download.PathAsync());
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("TodoApi.Cleanup.ExecuteAsync(System.Threading.CancellationToken),Cleanup.cs,12,0,COLD,", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",hosted service", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Grouping_by_folder_shows_folders_and_files()
    {
        await _page.GetByTestId("group-folder").ClickAsync();

        await Expect(Node("src/Legacy")).ToBeVisibleAsync();
        await Node("src/Orders").Locator("> .row [data-testid=toggle]").ClickAsync();
        await Expect(Ratio("OrderService.cs")).ToHaveTextAsync("1/2");
    }

    [Fact]
    public async Task The_page_shows_the_current_versions_keys_and_the_keys_only_an_older_version_has_apart()
    {
        const string A = "Shop.Catalog.Search.ByName";
        const string B = "Shop.Catalog.Search.ByTag";
        const string C = "Shop.Catalog.Search.BySku";
        (string, string, int, string) Src(string key, int line) => (key, "src/Catalog/Search.cs", line, "");
        await _server.SetAsync("catalog", [Src(A, 3), Src(B, 9)], version: "v1");
        await _server.SendAsync("catalog", "v1", (A, 5));
        await _server.SetAsync("catalog", [Src(B, 9), Src(C, 15)], version: "v2");

        await _page.Locator("[data-app=catalog]").ClickAsync();

        await Expect(Ratio("Shop.Catalog")).ToHaveTextAsync("2/2", s_live);
        await Expect(_page.Locator("[data-app=catalog] [data-testid=app-cold]")).ToContainTextAsync("2 cold of 2");
        var keys = _page.Locator("[data-testid=grid] tbody td.key");
        await Expect(keys).ToHaveCountAsync(2);
        Assert.Equal([C, B], (await keys.AllTextContentsAsync()).Order(StringComparer.Ordinal));
        await Expect(_page.GetByTestId("older-count")).ToHaveTextAsync("1");
        await Expect(_page.GetByTestId("older-key")).ToHaveCountAsync(0);

        await _page.GetByTestId("older-toggle").ClickAsync();

        var older = _page.GetByTestId("older-key");
        await Expect(older).ToHaveCountAsync(1);
        await Expect(older).ToHaveAttributeAsync("data-key", A);
        await Expect(older.Locator("td.count")).ToHaveTextAsync("5");

        // The old build's process still runs: its count moves live in the older section, and the section stays open.
        await _server.SendAsync("catalog", "v1", (A, 2));

        await Expect(older.Locator("td.count")).ToHaveTextAsync("7", s_live);
        await Expect(keys).ToHaveCountAsync(2);
    }
}
