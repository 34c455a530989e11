using System.Diagnostics;
using Coldmod.Server.Internal.Store;
using Coldmod.Server.Model;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Coldmod.Server.Internal.Web;

// One view of the store for every page: the app list, and the heatmap of each app someone watches, refreshed by a
// single loop a few times a second at most. A refresh reads only the srcs whose counts changed and replaces only
// their entries; the other entries are shared with the previous snapshot and with every viewer.
internal sealed class HeatmapViewService(
    IHeatmapStore store,
    HeatChanges changes,
    TimeProvider time,
    IOptions<HeatmapViewOptions> options,
    ILogger<HeatmapViewService> logger) : BackgroundService, IHeatmapView
{
    private static readonly TimeSpan s_rateWindow = TimeSpan.FromSeconds(5);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, LiveApp> _live = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<(long At, long Hits)>> _hitSamples = new(StringComparer.Ordinal);
    private readonly List<Watcher> _watchers = [];
    private IReadOnlyList<AppSummary>? _apps;
    private long _generation;

    public IReadOnlyList<AppSummary> Apps
    {
        get
        {
            var apps = _apps;
            if (apps is not null)
            {
                return apps;
            }

            lock (_lock)
            {
                return _apps ??= ReadApps();
            }
        }
    }

    public HeatSnapshot? Snapshot(string app)
    {
        ArgumentNullException.ThrowIfNull(app);
        lock (_lock)
        {
            if (!_live.TryGetValue(app, out var live))
            {
                var loaded = store.ViewHeatmap(app);
                if (loaded is null)
                {
                    return null;
                }

                live = new LiveApp(app);
                live.Load(loaded, changes.Structure, ++_generation);
                _live.Add(app, live);
            }

            live.LastUsed = time.GetTimestamp();
            return live.Snapshot;
        }
    }

    public IDisposable Watch(string? app, Action changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        var watcher = new Watcher(this, app, changed);
        lock (_lock)
        {
            _watchers.Add(watcher);
        }

        return watcher;
    }

    // One refresh, as the loop does it; tests call it to update without waiting for the loop.
    public void Refresh()
    {
        var structure = changes.Structure;
        List<Watcher> notify;
        lock (_lock)
        {
            _apps = ReadApps();
            var watched = new HashSet<string>(StringComparer.Ordinal);
            foreach (var watcher in _watchers)
            {
                if (watcher.App is not null)
                {
                    watched.Add(watcher.App);
                }
            }

            foreach (var live in _live.Values.ToList())
            {
                if (!watched.Contains(live.Name) && time.GetElapsedTime(live.LastUsed) > options.Value.KeepUnwatched)
                {
                    _live.Remove(live.Name);
                }
                else
                {
                    Update(live, structure);
                }
            }

            // Everyone hears of the app list; a viewer whose snapshot's generation did not change redraws only the totals.
            notify = [.. _watchers];
        }

        foreach (var watcher in notify)
        {
            watcher.Notify();
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seen = changes.Commits;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.WhenAny(changes.WaitAsync(seen), Task.Delay(options.Value.IdleRefresh, time, stoppingToken)).ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
                seen = changes.Commits;
                try
                {
                    Refresh();
                }
                catch (Exception e) when (e is SqliteException or RedisException or TimeoutException or StoreStoppedException)
                {
                    ServerLog.ViewRefreshFailed(logger, e);
                }

                await Task.Delay(options.Value.UpdateInterval, time, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private bool Update(LiveApp live, long structure)
    {
        var started = Stopwatch.GetTimestamp();
        if (live.Structure != structure)
        {
            var loaded = store.ViewHeatmap(live.Name);
            if (loaded is null)
            {
                _live.Remove(live.Name);
                return true;
            }

            live.Load(loaded, structure, ++_generation);
            return true;
        }

        var changed = store.ViewChangedSince(live.Name, live.Watermark);
        if (!live.Apply(changed, ++_generation))
        {
            return false;
        }

        ServerLog.ViewUpdated(logger, live.Name, changed.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return true;
    }

    private List<AppSummary> ReadApps()
    {
        var now = time.GetUtcNow();
        var rows = store.ViewApps(now.AddHours(-1).ToUnixTimeMilliseconds());
        var apps = new List<AppSummary>(rows.Count);
        var at = time.GetTimestamp();
        foreach (var row in rows)
        {
            apps.Add(new AppSummary(
                row.Name,
                row.Srcs,
                row.Cold,
                row.Hits,
                row.ProcessesLastHour,
                HitsPerSecond(row.Name, at, row.Hits),
                row.TrackedSince is { } since ? DateTimeOffset.FromUnixTimeMilliseconds(since) : null));
        }

        return apps;
    }

    private double HitsPerSecond(string app, long at, long hits)
    {
        if (!_hitSamples.TryGetValue(app, out var samples))
        {
            samples = new Queue<(long, long)>();
            _hitSamples.Add(app, samples);
        }

        samples.Enqueue((at, hits));
        while (samples.Count > 2 && time.GetElapsedTime(samples.Peek().At, at) > s_rateWindow)
        {
            samples.Dequeue();
        }

        var (oldestAt, oldestHits) = samples.Peek();
        var seconds = time.GetElapsedTime(oldestAt, at).TotalSeconds;
        return seconds <= 0 || hits < oldestHits ? 0 : (hits - oldestHits) / seconds;
    }

    private void Remove(Watcher watcher)
    {
        lock (_lock)
        {
            _watchers.Remove(watcher);
        }
    }

    private sealed class Watcher(HeatmapViewService owner, string? app, Action changed) : IDisposable
    {
        private int _disposed;

        public string? App { get; } = app;

        public void Notify()
        {
            if (Volatile.Read(ref _disposed) == 0)
            {
                changed();
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(this);
            }
        }
    }

    private sealed class LiveApp(string name)
    {
        // Where a key is: its index in the current entries, or, bitwise complemented, in the older-only ones.
        private Dictionary<string, int> _indexOfSrc = new(StringComparer.Ordinal);

        // Reused by every update for the counts BandScale sorts, so a refresh allocates no copy of them.
        private long[] _counts = [];

        public string Name { get; } = name;

        public HeatSnapshot Snapshot { get; private set; } = new(name, [], BandScale.Empty, 0);

        public long Structure { get; private set; }

        public long Watermark { get; private set; }

        public long LastUsed { get; set; }

        public void Load(ViewHeatmap loaded, long structure, long generation)
        {
            var index = new Dictionary<string, int>(loaded.Entries.Length + loaded.OlderOnly.Length, StringComparer.Ordinal);
            for (var i = 0; i < loaded.Entries.Length; i++)
            {
                index[loaded.Entries[i].Key] = i;
            }

            for (var i = 0; i < loaded.OlderOnly.Length; i++)
            {
                index[loaded.OlderOnly[i].Key] = ~i;
            }

            _indexOfSrc = index;
            _counts = new long[loaded.Entries.Length];
            Structure = structure;
            Watermark = loaded.Watermark;
            Snapshot = new HeatSnapshot(Name, loaded.Entries, Scale(loaded.Entries), generation, loaded.OlderOnly);
        }

        // False when nothing the page shows changed.
        public bool Apply(List<ViewChangedRow> changed, long generation)
        {
            HeatEntry[]? entries = null;
            HeatEntry[]? older = null;
            foreach (var row in changed)
            {
                Watermark = Math.Max(Watermark, row.LastSeen ?? 0);
                if (!_indexOfSrc.TryGetValue(row.Key, out var i))
                {
                    continue;
                }

                var isOlder = i < 0;
                var index = isOlder ? ~i : i;
                var current = isOlder ? (older ?? Snapshot.Older)[index] : (entries ?? Snapshot.Entries)[index];
                var lastSeen = Time(row.LastSeen);
                if (current.Count == row.Count && current.LastSeen == lastSeen)
                {
                    continue;
                }

                var updated = current with { Count = row.Count, FirstSeen = Time(row.FirstSeen), LastSeen = lastSeen };
                if (isOlder)
                {
                    older ??= [.. Snapshot.Older];
                    older[index] = updated;
                }
                else
                {
                    entries ??= [.. Snapshot.Entries];
                    entries[index] = updated;
                }
            }

            if (entries is null && older is null)
            {
                return false;
            }

            // The scale is of the current version's counts only: an older-only key's count moves no band, and the
            // copy keeps the snapshot's tree and band counts, which its unchanged entries still hold.
            Snapshot = entries is null
                ? Snapshot with { OlderOnly = older, Generation = generation }
                : new HeatSnapshot(Name, entries, Scale(entries), generation, (IReadOnlyList<HeatEntry>?)older ?? Snapshot.Older);
            return true;
        }

        private BandScale Scale(IReadOnlyList<HeatEntry> entries)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                _counts[i] = entries[i].Count;
            }

            return BandScale.OfBuffer(_counts);
        }

        private static DateTimeOffset? Time(long? unixMilliseconds) =>
            unixMilliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }
}
