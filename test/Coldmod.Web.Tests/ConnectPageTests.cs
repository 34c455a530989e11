using System.Threading.Channels;
using Bunit;
using Coldmod.Protocol;
using Coldmod.Server.Components.Pages;
using Coldmod.Server.Internal.Connect;
using Coldmod.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using static Coldmod.Web.Tests.Entries;

namespace Coldmod.Web.Tests;

// The connect page against the server's real connect sessions; the CLI's end of the Mod stream is the test, which
// reads the commands the page sends and answers them as `coldmod connect` does.
public sealed class ConnectPageTests : BunitContext
{
    private const string Cancel = "Shop.Orders.OrderService.Cancel(System.Int32)";
    private const string Run = "Shop.Legacy.Importer.Run";
    private const string Gone = "Shop.Legacy.Importer.Parse(System.String)";

    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(10);

    private readonly ConnectSessions _sessions = new(Options.Create(new ConnectOptions()), TimeProvider.System, NullLogger<ConnectSessions>.Instance);
    private readonly CommandStream _cli = new();
    private readonly ConnectLink _link;

    public ConnectPageTests()
    {
        _link = _sessions.Attach(new ModHello { App = "shop", Root = "/home/dev/shop", Host = "devbox" }, _cli, "test")!;
        _link.AnswerHelloAsync(CancellationToken.None).GetAwaiter().GetResult();
        var inventory = new ModInventory { First = true, Last = true };
        inventory.Keys.Add(new ModLocalKey { Key = Cancel, File = "src/Orders.cs", Line = 14, References = 2 });
        inventory.Keys.Add(new ModLocalKey { Key = Run, File = "src/Legacy/Importer.cs", Line = 5, References = 0 });
        _link.Receive(inventory);

        Services.AddSingleton<IHeatmapView>(new FakeHeatmapView("shop", [Entry(Cancel, 0), Entry(Run, 0), Entry(Gone, 0), Entry("Shop.Orders.OrderService.Place", 4)]));
        Services.AddSingleton(TimeProvider.System);
        Services.AddSingleton(_sessions);
        JSInterop.Mode = JSRuntimeMode.Loose;
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private string SessionId => _link.SessionId;

    [Fact]
    public void Each_row_the_checkout_has_shows_where_it_is_now_and_its_commands_and_a_row_it_lacks_says_so()
    {
        var page = Render<Heatmap>(p => p.Add(h => h.SessionId, SessionId));

        Assert.Equal("connected to /home/dev/shop on devbox", page.Find("[data-testid=connect-status]").TextContent.Trim());
        page.WaitForAssertion(() => Assert.Equal("src/Orders.cs:14 · 2 refs", Row(page, Cancel).QuerySelector("[data-testid=local]")!.TextContent.Trim()), s_wait);
        Assert.Equal("src/Legacy/Importer.cs:5 · 0 refs", Row(page, Run).QuerySelector("[data-testid=local]")!.TextContent.Trim());
        Assert.Equal("not in the checkout's build", Row(page, Gone).QuerySelector("[data-testid=local]")!.TextContent.Trim());
        Assert.Null(Row(page, Gone).QuerySelector("[data-testid=ignore]"));
        Assert.Empty(page.FindAll("[data-testid=app]"));
    }

    [Fact]
    public void A_new_inventory_redraws_the_rows_in_view_though_their_counts_did_not_change()
    {
        var page = Render<Heatmap>(p => p.Add(h => h.SessionId, SessionId));
        page.WaitForAssertion(() => Assert.Equal("src/Legacy/Importer.cs:5 · 0 refs", Row(page, Run).QuerySelector("[data-testid=local]")!.TextContent.Trim()), s_wait);

        var moved = new ModInventory { First = true, Last = true };
        moved.Keys.Add(new ModLocalKey { Key = Run, File = "src/Legacy/Importer.cs", Line = 9, References = 1 });
        moved.Keys.Add(new ModLocalKey { Key = Gone, File = "src/Legacy/Importer.cs", Line = 20, References = 0 });
        _link.Receive(moved);

        page.WaitForAssertion(() =>
        {
            Assert.Equal("src/Legacy/Importer.cs:9 · 1 ref", Row(page, Run).QuerySelector("[data-testid=local]")!.TextContent.Trim());
            Assert.Equal("src/Legacy/Importer.cs:20 · 0 refs", Row(page, Gone).QuerySelector("[data-testid=local]")!.TextContent.Trim());
            Assert.Equal("not in the checkout's build", Row(page, Cancel).QuerySelector("[data-testid=local]")!.TextContent.Trim());
        }, s_wait);
    }

    [Fact]
    public async Task Two_selected_rows_are_ignored_with_one_command_and_both_grey_out_once_the_cli_did_it()
    {
        var page = Render<Heatmap>(p => p.Add(h => h.SessionId, SessionId));
        page.WaitForAssertion(() => Assert.NotNull(Row(page, Run).QuerySelector("[data-testid=select]")), s_wait);

        Row(page, Cancel).QuerySelector("[data-testid=select]")!.Change(true);
        page.WaitForAssertion(() => Assert.Contains("1 method selected", page.Find("[data-testid=selection]").TextContent, StringComparison.Ordinal), s_wait);
        Row(page, Run).QuerySelector("[data-testid=select]")!.Change(true);
        page.WaitForAssertion(() => Assert.Contains("2 methods selected", page.Find("[data-testid=selection]").TextContent, StringComparison.Ordinal), s_wait);
        var clicked = page.InvokeAsync(() => page.Find("[data-testid=ignore-selected]").Click());

        var command = await _cli.NextAsync();
        Assert.Equal(ModCommand.KindOneofCase.Ignore, command.KindCase);
        Assert.Equal(new[] { Cancel, Run }.Order(StringComparer.Ordinal), command.Ignore.Keys.Order(StringComparer.Ordinal));
        page.WaitForAssertion(() => Assert.Contains("Ignoring 2 methods", page.Find("[data-testid=connect-busy]").TextContent, StringComparison.Ordinal), s_wait);
        _link.Receive(new ModResult { CommandId = command.CommandId, Ok = true, Output = "added 2 keys to ignore.keys" });
        await clicked;
        // As the CLI does after an ignore: its build's keys, less the ignored ones.
        _link.Receive(new ModInventory { First = true, Last = true });

        page.WaitForAssertion(() =>
        {
            Assert.Equal("true", page.Find("[data-testid=connect-outcome]").GetAttribute("data-ok"));
            Assert.Equal("true", Row(page, Cancel).QuerySelector("[data-testid=row-actions]")!.GetAttribute("data-ignored"));
            Assert.Equal("true", Row(page, Run).QuerySelector("[data-testid=row-actions]")!.GetAttribute("data-ignored"));
            Assert.Equal("ignored in coldmod.rootmarker", Row(page, Run).QuerySelector("[data-testid=local]")!.TextContent.Trim());
            Assert.Empty(page.FindAll("[data-testid=selection]"));
        }, s_wait);
        Assert.Null(Row(page, Gone).QuerySelector("[data-testid=row-actions]"));
    }

    [Fact]
    public async Task A_removal_is_previewed_first_and_a_refusal_is_shown_verbatim()
    {
        var page = Render<Heatmap>(p => p.Add(h => h.SessionId, SessionId));
        page.WaitForAssertion(() => Assert.NotNull(Row(page, Run).QuerySelector("[data-testid=remove]")), s_wait);

        var previewing = page.InvokeAsync(() => Row(page, Run).QuerySelector("[data-testid=remove]")!.Click());
        var dryRun = await _cli.NextAsync();
        Assert.True(dryRun.DryRun);
        Assert.Equal([Run], dryRun.Remove.Keys);
        _link.Receive(new ModResult { CommandId = dryRun.CommandId, Ok = true, Output = "-    public void Run() { }" });
        await previewing;
        page.WaitForAssertion(() => Assert.Contains("-    public void Run() { }", page.Find("[data-testid=remove-preview] pre").TextContent, StringComparison.Ordinal), s_wait);

        var confirming = page.InvokeAsync(() => page.Find("[data-testid=confirm-remove]").Click());
        var remove = await _cli.NextAsync();
        Assert.False(remove.DryRun);
        Assert.Equal([Run], remove.Remove.Keys);
        _link.Receive(new ModResult { CommandId = remove.CommandId, Ok = false, Error = "coldmod: error: src/Legacy/Importer.cs changed since the build; build again." });
        await confirming;

        page.WaitForAssertion(() =>
        {
            var outcome = page.Find("[data-testid=connect-outcome]");
            Assert.Equal("false", outcome.GetAttribute("data-ok"));
            Assert.Equal("coldmod: error: src/Legacy/Importer.cs changed since the build; build again.", outcome.QuerySelector("pre")!.TextContent);
            Assert.Empty(page.FindAll("[data-testid=remove-preview]"));
        }, s_wait);
    }

    [Fact]
    public async Task When_the_cli_goes_the_page_says_disconnected_live_and_a_command_says_the_cli_is_gone_and_a_stale_build_is_shown()
    {
        var page = Render<Heatmap>(p => p.Add(h => h.SessionId, SessionId));
        page.WaitForAssertion(() => Assert.NotNull(Row(page, Cancel).QuerySelector("[data-testid=open]")), s_wait);
        var stale = new ModInventory { First = true, Last = true, Stale = "src/Orders.cs changed since the build" };
        stale.Keys.Add(new ModLocalKey { Key = Cancel, File = "src/Orders.cs", Line = 14, References = 2 });
        _link.Receive(stale);
        page.WaitForAssertion(() => Assert.Contains("src/Orders.cs changed since the build", page.Find("[data-testid=connect-stale]").TextContent, StringComparison.Ordinal), s_wait);

        _link.Dispose();

        page.WaitForAssertion(() => Assert.StartsWith("disconnected", page.Find("[data-testid=connect-status]").TextContent.Trim(), StringComparison.Ordinal), s_wait);
        await page.InvokeAsync(() => Row(page, Cancel).QuerySelector("[data-testid=open]")!.Click());
        page.WaitForAssertion(() => Assert.Contains("the CLI is gone", page.Find("[data-testid=connect-outcome]").TextContent, StringComparison.Ordinal), s_wait);
        Assert.Equal(0, _cli.Written);
    }

    [Fact]
    public void A_session_this_server_does_not_have_is_named_and_offers_no_commands()
    {
        var page = Render<Heatmap>(p => p.Add(h => h.SessionId, "AAAAAAAAAAAAAAAAAAAAAA"));

        Assert.Contains("No connect session", page.Find("[data-testid=unknown-session]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=grid]"));
        Assert.Empty(page.FindAll("[data-testid=connect]"));
    }

    // QuickGrid renders its rows after the first render: callers wait for the row they need.
    private static AngleSharp.Dom.IElement Row(IRenderedComponent<Heatmap> page, string key) =>
        page.FindAll("[data-testid=grid] tbody tr").SingleOrDefault(row => row.QuerySelector("td.key")?.TextContent.Trim() == key)
            ?? throw new Xunit.Sdk.XunitException($"no row for {key} yet");

    // The server's side of the CLI's Mod stream: what the server writes, for the test to read.
    private sealed class CommandStream : IServerStreamWriter<ModCommand>
    {
        private readonly Channel<ModCommand> _commands = Channel.CreateUnbounded<ModCommand>();
        private int _written;

        public WriteOptions? WriteOptions { get; set; }

        // Commands written, not counting the session's answer to the hello.
        public int Written => Math.Max(0, Volatile.Read(ref _written) - 1);

        public Task WriteAsync(ModCommand message) => WriteAsync(message, CancellationToken.None);

        // The server's writes carry a deadline, which ASP.NET Core's stream writer honours.
        public Task WriteAsync(ModCommand message, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _written);
            return message.KindCase == ModCommand.KindOneofCase.Session ? Task.CompletedTask : _commands.Writer.WriteAsync(message, cancellationToken).AsTask();
        }

        public async Task<ModCommand> NextAsync()
        {
            using var timeout = new CancellationTokenSource(s_wait);
            return await _commands.Reader.ReadAsync(timeout.Token);
        }
    }
}
