using Coldmod.Server.Model;

namespace Coldmod.Web.Tests;

// One app's heatmap that a test replaces, calling the page's watchers as the live view does after an update.
internal sealed class FakeHeatmapView(string app, IReadOnlyList<HeatEntry> entries, IReadOnlyList<HeatEntry>? older = null) : IHeatmapView
{
    private readonly List<Action> _watchers = [];
    private HeatSnapshot _snapshot = Snapshot(app, entries, 1, older);

    public IReadOnlyList<AppSummary> Apps =>
        [new AppSummary(app, _snapshot.Entries.Count, _snapshot.Entries.Count(e => e.Count == 0), _snapshot.Entries.Sum(e => e.Count), 1, 0, Entries.Start)];

    public HeatSnapshot? Snapshot(string name) => name == app ? _snapshot : null;

    public IDisposable Watch(string? name, Action changed)
    {
        _watchers.Add(changed);
        return new Unwatch(() => _watchers.Remove(changed));
    }

    public void Publish(IReadOnlyList<HeatEntry> updated, IReadOnlyList<HeatEntry>? updatedOlder = null)
    {
        _snapshot = Snapshot(app, updated, _snapshot.Generation + 1, updatedOlder ?? _snapshot.OlderOnly);
        foreach (var watcher in _watchers.ToList())
        {
            watcher();
        }
    }

    private static HeatSnapshot Snapshot(string app, IReadOnlyList<HeatEntry> entries, long generation, IReadOnlyList<HeatEntry>? older) =>
        new(app, entries, BandScale.Of(entries.Select(e => e.Count)), generation, older);

    private sealed class Unwatch(Action dispose) : IDisposable
    {
        public void Dispose() => dispose();
    }
}
