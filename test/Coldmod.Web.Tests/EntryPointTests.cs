using System.Text.Json;
using Bunit;
using Coldmod.Server.Components.Controls;
using Coldmod.Server.Components.Pages;
using Coldmod.Server.Model;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using static Coldmod.Web.Tests.Entries;

namespace Coldmod.Web.Tests;

// Entry-point labels (routes, hosted services…) in the view model, the downloads and the page.
public sealed class EntryPointTests : BunitContext
{
    private static readonly HeatEntry[] s_entries =
    [
        Entry("TodoApi.Todos.TodoApi.<MapTodos>b__0_1=>1", 0, "Todos/TodoApi.cs", label: "GET /todos/{id}"),
        Entry("TodoApi.Todos.TodoApi.<MapTodos>b__0_0=>0", 7, "Todos/TodoApi.cs", Start.AddDays(3), label: "GET /todos"),
        Entry("TodoApi.Todos.TodoStore.Find(System.Int32)", 7, "Todos/TodoStore.cs", Start.AddDays(3)),
        Entry("TodoApi.Cleanup.ExecuteAsync(System.Threading.CancellationToken)", 2, "Cleanup.cs", Start.AddDays(1), label: "hosted service"),
        Entry("TodoApi.Legacy.Export", 0, "Legacy.cs"),
    ];

    private static readonly BandScale s_scale = BandScale.Of(s_entries.Select(e => e.Count));

    private static string[] Keys(HeatFilter filter) => [.. filter.Apply(s_entries, s_scale).Select(e => e.Key)];

    [Fact]
    public void Entry_points_only_keeps_the_labelled_srcs_in_their_order()
    {
        Assert.Equal(
            ["TodoApi.Todos.TodoApi.<MapTodos>b__0_1=>1", "TodoApi.Todos.TodoApi.<MapTodos>b__0_0=>0", "TodoApi.Cleanup.ExecuteAsync(System.Threading.CancellationToken)"],
            Keys(HeatFilter.All with { EntryPointsOnly = true }));
        Assert.Equal(s_entries.Length, Keys(HeatFilter.All).Length);
    }

    [Fact]
    public void Entry_points_only_composes_with_bands_search_and_date()
    {
        var entryPoints = HeatFilter.All with { EntryPointsOnly = true };

        Assert.Equal(["TodoApi.Todos.TodoApi.<MapTodos>b__0_1=>1"], Keys(entryPoints with { Bands = BandSet.Cold }));
        Assert.Equal(["TodoApi.Todos.TodoApi.<MapTodos>b__0_1=>1", "TodoApi.Todos.TodoApi.<MapTodos>b__0_0=>0"], Keys(entryPoints with { Search = "todoapi.cs" }));
        Assert.Equal(
            ["TodoApi.Todos.TodoApi.<MapTodos>b__0_1=>1", "TodoApi.Cleanup.ExecuteAsync(System.Threading.CancellationToken)"],
            Keys(entryPoints with { NotCalledSince = Start.AddDays(2) }));
        Assert.Empty(Keys(entryPoints with { Search = "legacy" }));
    }

    [Fact]
    public void Search_matches_the_label_too() =>
        Assert.Equal(["TodoApi.Todos.TodoApi.<MapTodos>b__0_1=>1"], Keys(HeatFilter.All with { Search = "/todos/{ID}" }));

    [Fact]
    public void The_download_query_carries_entry_points_only_and_reads_it_back()
    {
        var filter = new HeatFilter(BandSet.Cold, "todos", null, EntryPointsOnly: true);

        var query = HeatFilterQuery.Format(filter);

        Assert.Equal("bands=cold&search=todos&entry_points=true", query);
        Assert.True(HeatFilterQuery.TryParse("cold", "todos", null, "true", out var read, out _));
        Assert.Equal(filter, read);
        Assert.True(HeatFilterQuery.TryParse(null, null, null, null, out var none, out _));
        Assert.False(none.EntryPointsOnly);
        Assert.False(HeatFilterQuery.TryParse(null, null, null, "only", out _, out var problem));
        Assert.Equal("entry_points: 'only' is not true or false", problem);
    }

    [Fact]
    public void The_downloads_hold_the_label_of_each_entry_point()
    {
        var shown = (HeatFilter.All with { EntryPointsOnly = true }).Apply(s_entries, s_scale);

        var csv = HeatExport.Csv(shown, s_scale, Start.AddDays(4)).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        using var json = JsonDocument.Parse(HeatExport.Json("todo", [.. s_entries.Take(3)], s_scale));

        Assert.Equal("key,file,line,count,band,first_seen,last_seen,tracked_since,days_never_called,label", csv[0]);
        Assert.Equal(["GET /todos/{id}", "GET /todos", "hosted service"], csv.Skip(1).Select(line => line[(line.LastIndexOf(',') + 1)..]));
        var labels = json.RootElement.GetProperty("entries").EnumerateArray()
            .Select(e => e.TryGetProperty("label", out var label) ? label.GetString() : null);
        Assert.Equal(["GET /todos/{id}", "GET /todos", null], labels);
    }

    [Fact]
    public void The_grid_shows_each_entry_points_label_in_its_own_column()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        var grid = Render<HeatGrid>(p => p
            .Add(g => g.Items, s_entries.AsQueryable())
            .Add(g => g.Scale, s_scale)
            .Add(g => g.Now, Start.AddDays(4)));

        Assert.Contains("Entry point", grid.FindAll("thead th").Select(th => th.TextContent.Trim()));
        // QuickGrid fetches its rows after the first render.
        grid.WaitForAssertion(() =>
        {
            var labels = grid.FindAll("tbody td.label").Select(td => td.TextContent.Trim()).ToList();
            Assert.Contains("GET /todos/{id}", labels);
            Assert.Contains("hosted service", labels);
            Assert.Contains("", labels);
        }, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_page_toggle_shows_only_entry_points_keeps_that_across_live_updates_and_puts_it_in_the_downloads()
    {
        var view = new FakeHeatmapView("todo", s_entries);
        Services.AddSingleton<IHeatmapView>(view);
        Services.AddSingleton(TimeProvider.System);
        JSInterop.Mode = JSRuntimeMode.Loose;
        // Interactive, as the page is once its circuit is up: only then does it watch the view for live updates.
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
        var page = Render<Heatmap>();

        var toggle = page.Find("[data-testid=entry-points]");
        Assert.Equal("false", toggle.GetAttribute("aria-pressed"));
        Assert.Equal("entry points only 3", toggle.TextContent.Trim());
        Assert.Equal("5 of 5 shown", page.Find("[data-testid=shown]").TextContent.Trim());

        // Awaited: a click dispatched while the grid is still fetching its rows would otherwise be checked too early.
        await toggle.ClickAsync(new MouseEventArgs());

        Assert.Equal("true", page.Find("[data-testid=entry-points]").GetAttribute("aria-pressed"));
        Assert.Equal("3 of 5 shown", page.Find("[data-testid=shown]").TextContent.Trim());
        Assert.EndsWith("?entry_points=true", page.Find("[data-testid=download-csv]").GetAttribute("href"), StringComparison.Ordinal);
        Assert.EndsWith("?entry_points=true", page.Find("[data-testid=download-json]").GetAttribute("href"), StringComparison.Ordinal);

        await page.Find("[data-band=Cold]").ClickAsync(new MouseEventArgs());
        Assert.Equal("2 of 5 shown", page.Find("[data-testid=shown]").TextContent.Trim());

        // A live update: a new entry point is set and the cold endpoint is called.
        view.Publish([.. s_entries.Select(e => e.Count == 0 && e.IsEntryPoint ? e with { Count = 1, LastSeen = Start } : e),
            Entry("TodoApi.Todos.TodoApi.<MapTodos>b__0_2=>2", 0, "Todos/TodoApi.cs", label: "POST /todos")]);

        page.WaitForAssertion(() => Assert.Equal("3 of 6 shown", page.Find("[data-testid=shown]").TextContent.Trim()));
        Assert.Equal("true", page.Find("[data-testid=entry-points]").GetAttribute("aria-pressed"));
        Assert.Equal("entry points only 4", page.Find("[data-testid=entry-points]").TextContent.Trim());
        Assert.Contains("entry_points=true", page.Find("[data-testid=download-csv]").GetAttribute("href"), StringComparison.Ordinal);
    }
}
