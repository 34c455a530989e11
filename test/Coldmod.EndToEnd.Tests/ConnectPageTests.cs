using Coldmod.Browser.Tests;
using Coldmod.EndToEnd.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Coldmod.EndToEnd.Tests;

/// <summary>
/// The heatmap page drives a checkout: the installed tool's `coldmod serve`, the woven sample run against it, a
/// `coldmod connect` in the sample's checkout, and Debian's Chromium on the page the CLI printed.
/// </summary>
[Collection(EndToEndCollection.Name)]
public sealed class ConnectPageTests(PackagedColdmod coldmod) : IAsyncLifetime
{
    private const string Ignored = "Shop.Orders.Order.MarkRefunded";
    private const string Opened = "Shop.Orders.OrderService.RefundAsync(System.Int32,System.String)";
    private const string Removed = "Shop.Catalog.ProductCatalog.Discontinue(System.String)";

    private static readonly TimeSpan s_cli = TimeSpan.FromSeconds(90);
    private static readonly LocatorAssertionsToHaveTextOptions s_command = new() { Timeout = 60_000 };
    private static readonly LocatorAssertionsToContainTextOptions s_commandContains = new() { Timeout = 60_000 };

    private readonly Chromium _chromium = new();

    public Task InitializeAsync() => _chromium.InitializeAsync();

    public Task DisposeAsync() => _chromium.DisposeAsync();

    [Fact]
    public async Task From_the_page_a_user_ignores_one_cold_method_opens_another_in_the_editor_and_removes_a_third()
    {
        var shop = coldmod.CreateShop("connect");
        (await shop.BuildAsync()).EnsureSuccess();
        await using var server = await StartServerWithTheSampleAsync(shop.ProjectDirectory, shop.OutputAssembly, shop.Directory);
        var editorLog = Path.Combine(shop.Directory, "editor.log");
        var editor = WriteEditorScript(shop.Directory, editorLog);
        await using var cli = ToolProcess.Start(coldmod.ColdmodTool, ["connect", "--no-open"], shop.ProjectDirectory, WithEditor(server.Environment, editor));
        var url = (await cli.WaitForLineAsync(@"Connected: (\S+/connect/[A-Za-z0-9_-]{22})", s_cli)).Groups[1].Value;
        var comments = File.ReadAllLines(shop.RootMarker).Where(line => line.StartsWith('#')).ToArray();

        await using var context = await _chromium.NewContextAsync();
        var page = await OpenAsync(context, url);
        await Expect(page.GetByTestId("connect-status")).ToHaveTextAsync($"connected to {shop.ProjectDirectory} on {Environment.MachineName}", s_command);

        // Ignore: the key goes into ignore.keys with the file's comments kept, and its row greys out.
        var ignoredRow = await RowAsync(page, Ignored);
        await Expect(ignoredRow.GetByTestId("local")).ToHaveTextAsync("Orders/Order.cs:40 · 1 ref", s_command);
        await ignoredRow.GetByTestId("ignore").ClickAsync();
        await ExpectDoneAsync(page, $"Ignoring {Ignored}: done");
        await Expect(ignoredRow.GetByTestId("row-actions")).ToHaveAttributeAsync("data-ignored", "true");
        var marker = File.ReadAllText(shop.RootMarker);
        Assert.Contains($"\"{Ignored}\"", marker, StringComparison.Ordinal);
        Assert.All(comments, comment => Assert.Contains(comment, marker, StringComparison.Ordinal));

        // Open: the developer's editor gets +LINE FILE.
        var openedRow = await RowAsync(page, Opened);
        var line = (await openedRow.GetByTestId("local").TextContentAsync())!.Split(" · ")[0].Split(':')[1];
        await openedRow.GetByTestId("open").ClickAsync();
        await ExpectDoneAsync(page, $"Opening {Opened}: done");
        Assert.Equal($"+{line} {Path.Combine(shop.ProjectDirectory, "Orders", "OrderService.cs")}", await ReadWhenWrittenAsync(editorLog));

        // Remove: a dry-run preview first, then the removal, which marks the caller.
        await (await RowAsync(page, Removed)).GetByTestId("remove").ClickAsync();
        var preview = page.GetByTestId("remove-preview");
        await Expect(preview).ToContainTextAsync("-    public bool Discontinue(string sku) => _products.Remove(sku);", new() { Timeout = 60_000 });
        Assert.Contains("Discontinue(", File.ReadAllText(Path.Combine(shop.ProjectDirectory, "Catalog", "ProductCatalog.cs")), StringComparison.Ordinal);
        await page.GetByTestId("confirm-remove").ClickAsync();
        await ExpectDoneAsync(page, $"Removing {Removed}: done");
        await Expect(page.GetByTestId("connect-outcome")).ToContainTextAsync("marked 1 reference in Admin/AdminCommands.cs");
        Assert.DoesNotContain("Discontinue(", File.ReadAllText(Path.Combine(shop.ProjectDirectory, "Catalog", "ProductCatalog.cs")), StringComparison.Ordinal);
        Assert.Contains($"// TODO: {Removed} was removed by coldmod.", File.ReadAllText(Path.Combine(shop.ProjectDirectory, "Admin", "AdminCommands.cs")), StringComparison.Ordinal);
        await cli.WaitForLineAsync(@"\brm Shop\.Catalog\.ProductCatalog\.Discontinue\(System\.String\): done$", s_cli);

        // The sources changed since the build: the page says so and the CLI refuses the next command.
        await Expect(page.GetByTestId("connect-stale")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await (await RowAsync(page, Opened)).GetByTestId("ignore").ClickAsync();
        await Expect(page.GetByTestId("connect-outcome")).ToHaveAttributeAsync("data-ok", "false", new() { Timeout = 60_000 });
        Assert.DoesNotContain($"\"{Opened}\"", File.ReadAllText(shop.RootMarker), StringComparison.Ordinal);

        Assert.Equal(0, await cli.InterruptAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_killed_cli_turns_the_page_disconnected_and_its_commands_are_refused_and_a_restarted_server_gets_the_cli_back_on_the_same_page()
    {
        var shop = await coldmod.WovenShopAsync();
        var directory = shop.Workspace.Directory;
        await using var server = await StartServerWithTheSampleAsync(shop.Workspace.ProjectDirectory, shop.Workspace.OutputAssembly, directory);
        var editorLog = Path.Combine(directory, $"editor-{Guid.NewGuid():N}.log");
        await using var cli = ToolProcess.Start(
            coldmod.ColdmodTool, ["connect", "--no-open"], shop.Workspace.ProjectDirectory, WithEditor(server.Environment, WriteEditorScript(directory, editorLog)));
        var url = (await cli.WaitForLineAsync(@"Connected: (\S+/connect/[A-Za-z0-9_-]{22})", s_cli)).Groups[1].Value;
        await using var context = await _chromium.NewContextAsync();

        using (var http = new HttpClient { BaseAddress = new Uri($"http://{server.WebHost}/") })
        {
            // Without the session's id there is no session to command.
            using var missing = await http.GetAsync("connect/AAAAAAAAAAAAAAAAAAAAAA");
            var body = await missing.Content.ReadAsStringAsync();
            Assert.Equal(System.Net.HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Contains("no connect session AAAAAAAAAAAAAAAAAAAAAA is open on this server", body, StringComparison.Ordinal);
            Assert.DoesNotContain("row-actions", body, StringComparison.Ordinal);

            // A live connection (the only way the page sends commands) from another origin is refused.
            using var negotiate = new HttpRequestMessage(HttpMethod.Post, "_blazor/negotiate?negotiateVersion=1");
            negotiate.Headers.Add("Origin", "http://attacker.example");
            using var refused = await http.SendAsync(negotiate);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // A server restart loses the session from memory; the CLI reconnects with its id and the same page works again.
        var page = await OpenAsync(context, url);
        await Expect(page.GetByTestId("connect-status")).ToContainTextAsync("connected to", s_commandContains);
        var seen = cli.Output.Count;
        await server.RestartAsync();
        await cli.WaitForLineAsync("reconnected", s_cli, skip: seen);
        page = await OpenAsync(context, url);
        await Expect(page.GetByTestId("connect-status")).ToContainTextAsync("connected to", s_commandContains);
        await (await RowAsync(page, Opened)).GetByTestId("open").ClickAsync();
        await ExpectDoneAsync(page, $"Opening {Opened}: done");
        Assert.EndsWith("/Orders/OrderService.cs", await ReadWhenWrittenAsync(editorLog), StringComparison.Ordinal);

        // Killed: the page turns disconnected live, and a command says the CLI is gone.
        await cli.KillAsync();
        await Expect(page.GetByTestId("connect-status")).ToContainTextAsync("disconnected", s_commandContains);
        await (await RowAsync(page, Opened)).GetByTestId("open").ClickAsync();
        var outcome = page.GetByTestId("connect-outcome");
        await Expect(outcome).ToHaveAttributeAsync("data-ok", "false", new() { Timeout = 60_000 });
        await Expect(outcome).ToContainTextAsync("the CLI is gone");
    }

    private async Task<ColdmodServe> StartServerWithTheSampleAsync(string projectDirectory, string assembly, string directory)
    {
        var server = await ColdmodServe.StartAsync(coldmod, projectDirectory, Path.Combine(directory, $"connect-{Guid.NewGuid():N}.db"));
        // A run this short has two seconds at exit to reach a server that is still warming up; on a busy machine its
        // Set can miss them, so the sample runs until the server knows it (the counts do not matter here).
        for (var attempt = 1; ; attempt++)
        {
            var run = await coldmod.DotNetAsync(projectDirectory, [assembly], PackagedColdmod.RunTimeout, server.Environment);
            Assert.True(run.Succeeded, run.Describe());
            var known = await ChildProcess.RunAsync(coldmod.ColdmodTool, ["status", "--format", "json"], projectDirectory, server.Environment, PackagedColdmod.RunTimeout);
            if (known.Output.Contains("\"Shop\"", StringComparison.Ordinal) || attempt == 3)
            {
                Assert.True(known.Output.Contains("\"Shop\"", StringComparison.Ordinal), known.Describe());
                return server;
            }
        }
    }

    private static Dictionary<string, string?> WithEditor(IReadOnlyDictionary<string, string?> environment, string editor) =>
        new(environment) { ["VISUAL"] = editor, ["EDITOR"] = null, ["DISPLAY"] = null, ["WAYLAND_DISPLAY"] = null };

    // An editor that writes the arguments it was started with, as one line.
    private static string WriteEditorScript(string directory, string log)
    {
        var script = Path.Combine(directory, $"editor-{Guid.NewGuid():N}.sh");
        File.WriteAllText(script, $"#!/bin/sh\necho \"$@\" > '{log}.tmp' && mv '{log}.tmp' '{log}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return script;
    }

    private static async Task<string> ReadWhenWrittenAsync(string file)
    {
        for (var attempt = 0; attempt < 100 && !File.Exists(file); attempt++)
        {
            await Task.Delay(100);
        }

        Assert.True(File.Exists(file), $"the editor never ran ({file} was not written)");
        var text = File.ReadAllText(file).Trim();
        File.Delete(file);
        return text;
    }

    private static async Task<IPage> OpenAsync(IBrowserContext context, string url)
    {
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        await Expect(page.GetByTestId("live")).ToHaveTextAsync("live", new() { Timeout = 30_000 });
        return page;
    }

    // The key's row alone, found through the search box (the table renders only the rows in view).
    private static async Task<ILocator> RowAsync(IPage page, string key)
    {
        await page.GetByTestId("search").FillAsync(key);
        var row = page.Locator("[data-testid=grid] tbody tr").Filter(new() { Has = page.Locator("td.key", new() { HasTextString = key }) });
        await Expect(row).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        return row;
    }

    private static async Task ExpectDoneAsync(IPage page, string what)
    {
        var outcome = page.GetByTestId("connect-outcome");
        await Expect(outcome.Locator("strong")).ToHaveTextAsync(what, s_command);
        await Expect(outcome).ToHaveAttributeAsync("data-ok", "true");
    }
}
