using System.Globalization;
using Coldmod.Server.Components.Connect;
using Coldmod.Server.Internal.Connect;
using Coldmod.Server.Internal.Web;
using Coldmod.Server.Model;
using Microsoft.AspNetCore.Components;

namespace Coldmod.Server.Components.Pages;

/// <summary>The heatmap page: the apps, and the selected app's heat tree and methods, live.</summary>
public sealed partial class Heatmap : IDisposable
{
    private IReadOnlyList<AppSummary> _apps = [];
    private string? _app;
    private string? _unknownApp;
    private HeatSnapshot? _snapshot;
    private long _shownGeneration = -1;
    private HeatFilter _filter = HeatFilter.All;
    private TreeGrouping _grouping = TreeGrouping.Namespace;
    private readonly HashSet<string> _expanded = new(StringComparer.Ordinal);
    private IReadOnlyList<HeatEntry> _shown = [];
    private IQueryable<HeatEntry> _items = Enumerable.Empty<HeatEntry>().AsQueryable();
    private HeatTreeNode _tree = HeatTree.Build([], TreeGrouping.Namespace);
    private IReadOnlyDictionary<Band, int> _bandCounts = new Dictionary<Band, int>();
    private int _entryPoints;
    private DateTimeOffset _now;
    private IDisposable? _watch;
    private ConnectState? _connect;
    private bool _unknownSession;

    [Inject]
    private IHeatmapView View { get; set; } = default!;

    [Inject]
    private NavigationManager Navigation { get; set; } = default!;

    [Inject]
    private TimeProvider Time { get; set; } = default!;

    // Resolved only by a connect page, so the plain page needs nothing of connect.
    [Inject]
    private IServiceProvider Services { get; set; } = default!;

    /// <summary>The connect session whose checkout the page drives (`coldmod connect`), from <c>/connect/{id}</c>.</summary>
    [Parameter]
    public string? SessionId { get; set; }

    /// <summary>The app shown; the first app when not given.</summary>
    [SupplyParameterFromQuery(Name = "app")]
    public string? AppName { get; set; }

    /// <summary>The request while the page is prerendered, to answer an unknown app with 404.</summary>
    [CascadingParameter]
    public HttpContext? HttpContext { get; set; }

    private bool IsLive => RendererInfo.IsInteractive;

    private string SinceText => _filter.NotCalledSince?.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "";

    /// <inheritdoc />
    public void Dispose()
    {
        _watch?.Dispose();
        _connect?.Dispose();
    }

    /// <inheritdoc />
    protected override void OnParametersSet()
    {
        _apps = View.Apps;
        ConnectSession();
        var wanted = _unknownSession ? null : _connect is not null ? _connect.App : string.IsNullOrEmpty(AppName) ? _apps.FirstOrDefault()?.Name : AppName;
        if (wanted != _app)
        {
            _app = wanted;
            _shownGeneration = -1;
            _expanded.Clear();
            if (RendererInfo.IsInteractive)
            {
                _watch?.Dispose();
                _watch = View.Watch(_app, OnViewChanged);
            }
        }

        Recompute(force: false);
        var missing = _unknownSession
            ? $"no connect session {SessionId} is open on this server. Run `coldmod connect` in your checkout and open the page it prints."
            : _unknownApp is not null ? $"no app named {_unknownApp} has called Set on this server. Open / to see the apps it knows." : null;
        if (missing is not null && HttpContext is { Response.HasStarted: false } http)
        {
            http.Response.StatusCode = StatusCodes.Status404NotFound;
            http.Items[HeatmapUi.NotFoundItem] = missing;
        }
    }

    // A connect page shows its session's app; the session's own changes (CLI gone or back, a new inventory) redraw it.
    private void ConnectSession()
    {
        if (SessionId is null)
        {
            _unknownSession = false;
            return;
        }

        if (_connect?.SessionId == SessionId)
        {
            return;
        }

        _connect?.Dispose();
        _connect = null;
        var sessions = Services.GetRequiredService<ConnectSessions>();
        _unknownSession = sessions.Find(SessionId) is null;
        if (!_unknownSession)
        {
            _connect = new ConnectState(sessions, SessionId);
            _connect.Changed += () => _ = InvokeAsync(StateHasChanged);
        }
    }

    // The totals change with every update; the tree and the grid only when the app's snapshot did.
    private void OnViewChanged() => _ = InvokeAsync(() =>
    {
        _apps = View.Apps;
        Recompute(force: false);
        StateHasChanged();
    });

    private void Recompute(bool force)
    {
        _now = Time.GetUtcNow();
        _snapshot = _app is null ? null : View.Snapshot(_app);
        _unknownApp = _app is not null && _snapshot is null ? _app : null;
        if (_snapshot is null)
        {
            _shown = [];
            _items = Enumerable.Empty<HeatEntry>().AsQueryable();
            return;
        }

        if (!force && _snapshot.Generation == _shownGeneration)
        {
            return;
        }

        _shownGeneration = _snapshot.Generation;
        _shown = _filter.Apply(_snapshot.Entries, _snapshot.Scale);
        _items = _shown.AsQueryable();

        // Unfiltered, every viewer shows the snapshot's own tree; only a filtered view pays for a tree of its own.
        _tree = ReferenceEquals(_shown, _snapshot.Entries) ? _snapshot.Tree(_grouping) : HeatTree.Build(_shown, _grouping);
        _bandCounts = _snapshot.BandCounts;
        _entryPoints = _snapshot.EntryPoints;
    }

    private void SelectApp(string app) => Navigation.NavigateTo($"?app={Uri.EscapeDataString(app)}");

    private void SetFilter(HeatFilter filter)
    {
        _filter = filter;
        Recompute(force: true);
    }

    private void ToggleEntryPoints() => SetFilter(_filter with { EntryPointsOnly = !_filter.EntryPointsOnly });

    private void OnSearch(ChangeEventArgs e) => SetFilter(_filter with { Search = e.Value?.ToString()?.Trim() ?? "" });

    private void OnSince(ChangeEventArgs e)
    {
        var text = e.Value?.ToString();
        DateTimeOffset? since = DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day)
            ? new DateTimeOffset(day, TimeSpan.Zero)
            : null;
        SetFilter(_filter with { NotCalledSince = since });
    }

    private void SetGrouping(TreeGrouping grouping)
    {
        _grouping = grouping;
        Recompute(force: true);
    }

    private void Toggle(string path)
    {
        if (!_expanded.Remove(path))
        {
            _expanded.Add(path);
        }
    }

    private string DownloadUrl(string format) => $"download/{Uri.EscapeDataString(_app ?? "")}.{format}?{HeatFilterQuery.Format(_filter)}";
}
