extern alias server;

using Coldmod.TestSupport;
using ServerCommand = server::Coldmod.Protocol.ModCommand;
using ServerKeys = server::Coldmod.Protocol.ModKeys;

namespace Coldmod.Cli.Tests.Connect;

// `coldmod connect` as a developer runs it: a real child process in a copy of the built sample, connected to a real
// server in this process; the test sends the page's commands through the server's ConnectSessions.
public sealed class ConnectCommandTests(ShopCheckout shop) : IClassFixture<ShopCheckout>
{
    private const string Cancel = "Shop.Orders.OrderService.Cancel(System.Int32)";
    private const string Refund = "Shop.Orders.OrderService.RefundAsync(System.Int32,System.String)";
    private const string Discontinue = "Shop.Catalog.ProductCatalog.Discontinue(System.String)";

    [Fact]
    public async Task The_page_ignores_removes_and_opens_in_the_checkout_and_unknown_keys_and_a_stale_build_are_refused()
    {
        using var checkout = shop.NewCopy();
        await using var backend = await ConnectBackend.StartAsync();
        var (environment, editorLog) = WithEditor(backend, checkout);
        using var cli = new ConnectProcess(checkout.Path, environment, "--app", "Shop");

        var url = (await cli.WaitForLineAsync(l => l.StartsWith("Connected: ", StringComparison.Ordinal), "'Connected: URL'"))["Connected: ".Length..];
        Assert.Matches($"^http://{backend.WebHost}/connect/[A-Za-z0-9_-]{{22}}$", url);
        var id = url[^22..];
        await WaitUntilAsync(() => backend.Sessions.Find(id)?.Keys.Count > 0, cli);
        var session = backend.Sessions.Find(id)!;
        Assert.True(session.Connected);
        Assert.Equal(("Shop", checkout.Path, ""), (session.App, session.Root, session.Stale));
        Assert.Equal(("Orders/OrderService.cs", 34, 1), (session.Keys[Cancel].File, session.Keys[Cancel].Line, session.Keys[Cancel].References));
        Assert.Equal(1, session.Keys[Discontinue].References);
        Assert.Equal(0, session.Keys[Refund].References);
        Assert.Equal(37, session.Keys[Refund].Line);
        Assert.False(session.Keys.ContainsKey("Shop.Generated.BuildInfo.Describe"));

        // Open: the editor of $VISUAL, started as `EDITOR +LINE FILE`.
        var opened = await backend.Sessions.SendAsync(id, Command(open: Cancel), CancellationToken.None);
        Assert.True(opened.Ok, opened.Error);
        await WaitUntilAsync(() => File.Exists(editorLog), cli);
        Assert.Equal($"+34\n{checkout.Combine("Orders", "OrderService.cs")}\n", await ReadWhenWrittenAsync(editorLog));

        var unknown = await backend.Sessions.SendAsync(id, Command(open: "Shop.Nowhere.Gone"), CancellationToken.None);
        Assert.False(unknown.Ok);
        Assert.Contains("not a key of this checkout's build: Shop.Nowhere.Gone", unknown.Error, StringComparison.Ordinal);

        // Ignore: coldmod.rootmarker gains the key and keeps its comments; the key leaves the inventory.
        var marker = checkout.Combine("coldmod.rootmarker");
        var markerBefore = File.ReadAllText(marker);
        var ignored = await backend.Sessions.SendAsync(id, Command(ignore: Refund), CancellationToken.None);
        Assert.True(ignored.Ok, ignored.Error);
        Assert.Contains("1 key added to ignore.keys", ignored.Output, StringComparison.Ordinal);
        Assert.Equal(markerBefore.Replace("keys = []", $"keys = [\"{Refund}\"]", StringComparison.Ordinal), File.ReadAllText(marker));
        Assert.Contains("# Generated code is not ours to delete", File.ReadAllText(marker), StringComparison.Ordinal);
        await WaitUntilAsync(() => !backend.Sessions.Find(id)!.Keys.ContainsKey(Refund), cli);

        // Remove, previewed: the diff, and no file changed.
        var catalog = checkout.Combine("Catalog", "ProductCatalog.cs");
        var admin = checkout.Combine("Admin", "AdminCommands.cs");
        var catalogBefore = File.ReadAllText(catalog);
        var adminBefore = File.ReadAllText(admin);
        var preview = await backend.Sessions.SendAsync(id, Command(remove: Discontinue, dryRun: true), CancellationToken.None);
        Assert.True(preview.Ok, preview.Error);
        Assert.Contains("+++ b/Catalog/ProductCatalog.cs", preview.Output, StringComparison.Ordinal);
        Assert.Contains($"+        // TODO: {Discontinue} was removed by coldmod.", preview.Output, StringComparison.Ordinal);
        Assert.Contains("(dry run: no file was changed)", preview.Output, StringComparison.Ordinal);
        Assert.Equal((catalogBefore, adminBefore), (File.ReadAllText(catalog), File.ReadAllText(admin)));

        // Remove: the method goes, its caller is marked, and the build is stale until it is rebuilt.
        var removed = await backend.Sessions.SendAsync(id, Command(remove: Discontinue), CancellationToken.None);
        Assert.True(removed.Ok, removed.Error);
        Assert.Contains($"removed {Discontinue}", removed.Output, StringComparison.Ordinal);
        Assert.Contains("marked 1 reference in Admin/AdminCommands.cs", removed.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Discontinue(", File.ReadAllText(catalog), StringComparison.Ordinal);
        Assert.Contains($"        // TODO: {Discontinue} was removed by coldmod.\n        var removed = catalog.Discontinue(sku);", File.ReadAllText(admin), StringComparison.Ordinal);
        await WaitUntilAsync(() => backend.Sessions.Find(id)!.Stale.Length > 0, cli);
        Assert.StartsWith("bin/Release/net10.0/Shop.dll is older than ", backend.Sessions.Find(id)!.Stale, StringComparison.Ordinal);

        var stale = await backend.Sessions.SendAsync(id, Command(open: Cancel), CancellationToken.None);
        Assert.False(stale.Ok);
        Assert.Contains("the local build is stale (bin/Release/net10.0/Shop.dll is older than", stale.Error, StringComparison.Ordinal);

        // Ctrl+C: the stream is completed, the process exits 0, and the page sees the CLI gone.
        Assert.Equal(0, await cli.InterruptAsync());
        await WaitUntilAsync(() => !backend.Sessions.Find(id)!.Connected, cli);
        Assert.Contains($"open {Cancel}: done", cli.Output, StringComparison.Ordinal);
        Assert.Contains($"rm --dry-run {Discontinue}: done", cli.Output, StringComparison.Ordinal);
        Assert.Contains("open Shop.Nowhere.Gone: refused: not a key of this checkout's build: Shop.Nowhere.Gone", cli.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_CLI_joined_by_its_page_URL_reconnects_to_a_restarted_server_with_its_session_and_refuses_commands_once_a_source_changes()
    {
        const string Id = "Joined-by-its-page-URL";
        using var checkout = shop.NewCopy();
        await using var backend = await ConnectBackend.StartAsync();
        var (environment, editorLog) = WithEditor(backend, checkout);
        using var cli = new ConnectProcess(checkout.Path, environment, $"http://{backend.WebHost}/connect/{Id}", "--app", "Shop");
        await cli.WaitForLineAsync(l => l == $"Connected: http://{backend.WebHost}/connect/{Id}", "'Connected: URL' of the session joined");
        await WaitUntilAsync(() => backend.Sessions.Find(Id)?.Keys.Count > 0, cli);

        // The session is this CLI's while it is connected: a second one is told so, and exits 1.
        var second = Cli.Run(checkout.Path, environment, "connect", Id, "--app", "Shop", "--no-open");
        Assert.Equal(1, second.ExitCode);
        Assert.Contains($"session {Id} is held by another connected CLI", second.Error, StringComparison.Ordinal);

        await backend.StopAsync();
        await cli.WaitForLineAsync(l => l.StartsWith("server gone, reconnecting", StringComparison.Ordinal), "'server gone'");
        await backend.StartAgainAsync();
        await cli.WaitForLineAsync(l => l == "reconnected", "'reconnected'");
        await WaitUntilAsync(() => backend.Sessions.Find(Id) is { Connected: true, Keys.Count: > 0 }, cli);
        var opened = await backend.Sessions.SendAsync(Id, Command(open: Cancel), CancellationToken.None);
        Assert.True(opened.Ok, opened.Error);
        Assert.Equal(1, cli.Output.Split('\n').Count(l => l.StartsWith("server gone", StringComparison.Ordinal)));

        // A source edited since the build makes it stale: the page is told, and commands are refused.
        File.AppendAllText(checkout.Combine("Orders", "OrderService.cs"), "\n// edited after the build\n");
        await WaitUntilAsync(() => backend.Sessions.Find(Id)!.Stale.Length > 0, cli);
        Assert.Contains("Orders/OrderService.cs", backend.Sessions.Find(Id)!.Stale, StringComparison.Ordinal);
        var marker = File.ReadAllText(checkout.Combine("coldmod.rootmarker"));
        var refused = await backend.Sessions.SendAsync(Id, Command(ignore: Refund), CancellationToken.None);
        Assert.False(refused.Ok);
        Assert.Contains("the local build is stale", refused.Error, StringComparison.Ordinal);
        Assert.Equal(marker, File.ReadAllText(checkout.Combine("coldmod.rootmarker")));

        // Built again, it acts again.
        ShopCheckout.Build(checkout.Path);
        await WaitUntilAsync(() => backend.Sessions.Find(Id)!.Stale.Length == 0, cli);
        Assert.True((await backend.Sessions.SendAsync(Id, Command(ignore: Refund), CancellationToken.None)).Ok);

        Assert.Equal(0, await cli.InterruptAsync());
    }

    [Fact]
    public void A_URL_that_names_no_session_is_a_usage_error_and_help_explains_the_verb()
    {
        using var checkout = shop.NewCopy();

        var bad = Cli.Run(checkout.Path, "connect", "ftp://127.0.0.1/connect/Joined-by-its-page-URL");
        var badPath = Cli.Run(checkout.Path, "connect", "http://127.0.0.1:7778/heatmap/Joined-by-its-page-URL");
        var help = Cli.Run(checkout.Path, "connect", "--help");

        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("is not a connect session: it is not an http(s) URL", bad.Error, StringComparison.Ordinal);
        Assert.Equal(2, badPath.ExitCode);
        Assert.Contains("its path is not /connect/ID", badPath.Error, StringComparison.Ordinal);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("Usage: coldmod connect [URL]", help.Out, StringComparison.Ordinal);
        Assert.Contains("$VISUAL", help.Out, StringComparison.Ordinal);
    }

    private static (Dictionary<string, string> Environment, string EditorLog) WithEditor(ConnectBackend backend, TempDirectory checkout)
    {
        var log = checkout.Combine("editor-arguments.txt");
        var script = checkout.Write("test-editor.sh", $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{log}.tmp' && mv '{log}.tmp' '{log}'\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var environment = backend.Environment;
        environment["VISUAL"] = script;
        return (environment, log);
    }

    private static async Task<string> ReadWhenWrittenAsync(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await File.ReadAllTextAsync(path);
            }
            catch (IOException) when (attempt < 20)
            {
                await Task.Delay(50);
            }
        }
    }

    private static ServerCommand Command(string? open = null, string? ignore = null, string? remove = null, bool dryRun = false)
    {
        var command = new ServerCommand { DryRun = dryRun };
        if (open is not null)
        {
            command.Open = new ServerKeys { Keys = { open } };
        }
        else if (ignore is not null)
        {
            command.Ignore = new ServerKeys { Keys = { ignore } };
        }
        else
        {
            command.Remove = new ServerKeys { Keys = { remove! } };
        }

        return command;
    }

    private static async Task WaitUntilAsync(Func<bool> condition, ConnectProcess cli)
    {
        for (var attempt = 0; attempt < 600 && !condition(); attempt++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition(), $"not reached within 30 s; coldmod connect printed:\n{cli.Output}");
    }
}
