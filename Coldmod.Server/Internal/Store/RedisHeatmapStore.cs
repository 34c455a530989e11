using System.Globalization;
using Coldmod.Protocol;
using Coldmod.Server.Internal.Configuration;
using Coldmod.Server.Model;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Coldmod.Server.Internal.Store;

// Redis behind the store contract: every change is one server-side script (RedisScripts), so any number of server
// instances share one heatmap. Batches are folded: one loop takes whatever Collect calls queued while the previous
// write was in flight and sends one script call per app for all of them, in order, so the per-process dedupe stays
// exact and Redis sees one write per app per round trip whatever the number of senders. A batch is acknowledged only
// after its script returned, that is after Redis applied it (and, with appendfsync always, wrote it to its AOF).
// Every change is also published on one channel, so the web view of every instance hears of counts and Sets that
// reached another instance (HeatChanges); a message missed while disconnected is made up by the view's idle refresh
// for counts, and by the next structural change for Sets.
internal sealed class RedisHeatmapStore(
    IOptions<ServerOptions> options,
    IConfiguration configuration,
    TimeProvider time,
    HeatChanges changes,
    ILogger<RedisHeatmapStore> logger) : IHeatmapStore
{
    private const int MaxGroup = 1024;
    private const string AppsKey = "coldmod:apps";

    private static readonly RedisChannel s_changesChannel = RedisChannel.Literal("coldmod:changes");

    // Tells this instance's own messages apart from the others': its own changes were signalled when they returned.
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly WorkQueue _queue = new();
    private ConnectionMultiplexer? _redis;
    private IDatabase? _db;
    private Task _loop = Task.CompletedTask;
    private string _where = "";

    private IDatabase Db => _db ?? throw new StoreStoppedException();

    private long RetentionMs => (long)options.Value.VersionRetentionPeriod.TotalMilliseconds;

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (!RedisLocation.TryParse(options.Value.Store, configuration[RedisLocation.UserVariable], configuration[RedisLocation.PasswordVariable],
            out var redisOptions, out var problem))
        {
            throw new ColdmodStoreException($"{ServerOptions.StoreVariable} is not usable: {problem}");
        }

        _where = RedisLocation.Describe(redisOptions);
        try
        {
            _redis = await ConnectionMultiplexer.ConnectAsync(redisOptions).ConfigureAwait(false);
            _db = _redis.GetDatabase();
            await _db.PingAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RedisException or RedisTimeoutException or RedisConnectionException)
        {
            _redis?.Dispose();
            _redis = null;
            _db = null;
            var authentication = e.Message.Contains("auth", StringComparison.OrdinalIgnoreCase)
                || e.Message.Contains("WRONGPASS", StringComparison.Ordinal) || e.Message.Contains("NOAUTH", StringComparison.Ordinal);
            throw new ColdmodStoreException(authentication
                ? $"Redis at {_where} refused the credentials: check the URL's user:password or {RedisLocation.UserVariable}/{RedisLocation.PasswordVariable}"
                : $"cannot connect to Redis at {_where}: start it or fix {ServerOptions.StoreVariable} ({FirstLine(e.Message)})", e);
        }

        ServerLog.RedisOpened(logger, _where);
        await _redis.GetSubscriber().SubscribeAsync(s_changesChannel, (_, message) => Heard(message)).ConfigureAwait(false);
        var now = time.GetUtcNow();
        foreach (var app in await AppsAsync().ConfigureAwait(false))
        {
            var result = (RedisResult[])(await Script(RedisScripts.Sweep, app, now.ToUnixTimeMilliseconds(), RetentionMs,
                now.Subtract(StoreRetention.Sequences).ToUnixTimeMilliseconds()).ConfigureAwait(false))!;
            if ((long)result[0] > 0)
            {
                ServerLog.SequencesPruned(logger, (long)result[0]);
            }

            StoreRetention.LogExpired(logger, [.. result.Skip(1).Select(v => (app, (string)v!))], options.Value.VersionRetentionPeriod);
        }

        _loop = Task.Run(RunAsync);
    }

    public async Task CloseAsync()
    {
        if (_redis is null)
        {
            return;
        }

        _queue.Close();
        await _loop.ConfigureAwait(false);
        await _redis.GetSubscriber().UnsubscribeAllAsync().ConfigureAwait(false);
        await _redis.CloseAsync().ConfigureAwait(false);
        _redis.Dispose();
        _redis = null;
        _db = null;
        ServerLog.StoreClosed(logger, _where);
    }

    public async Task<SetResult> SetAsync(SetRequest request)
    {
        var version = request.Version.Length > 0 ? request.Version : VersionRules.Derive(request.Srcs);
        var args = new List<RedisValue>(6 + (4 * request.Srcs.Count))
        {
            Prefix(request.App), Now(), RetentionMs, version, request.Label, request.VersionOnly ? 1 : 0,
        };
        if (!request.VersionOnly)
        {
            foreach (var src in request.Srcs)
            {
                args.Add(src.Key);
                args.Add(src.File);
                args.Add(src.Line);
                args.Add(src.Label);
            }
        }

        var result = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisScripts.Set, [MetaKey(request.App)], [.. args]).ConfigureAwait(false))!;
        // The app list sits outside the app's hash tag, so it is not in the script; adding on every known start
        // (idempotent) also repairs the list after an instance died between the script and this.
        if ((long)result[4] == 0)
        {
            await Db.SetAddAsync(AppsKey, request.App).ConfigureAwait(false);
        }

        StoreRetention.LogExpired(logger, [.. result.Skip(5).Select(v => (request.App, (string)v!))], options.Value.VersionRetentionPeriod);
        if ((long)result[4] == 0)
        {
            Changed(structural: true);
        }

        return new SetResult((long)result[0], (long)result[1], (long)result[2], version, (long)result[3] == 1, (long)result[4] == 1);
    }

    public BatchWork EnqueueBatch(Batch batch, CollectStream stream)
    {
        var work = new BatchWork(batch, stream);
        if (!_queue.TryAdd(work))
        {
            work.Fail(new StoreStoppedException());
        }

        return work;
    }

    public async Task<HeatView?> FetchAsync(string app, bool all)
    {
        var result = await Script(RedisScripts.Fetch, app).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var parts = (RedisResult[])result!;
        var heat = Pairs(parts[3]);
        var estimated = Pairs(parts[4]);
        var variance = Pairs(parts[5]);
        var first = Pairs(parts[6]);
        var last = Pairs(parts[7]);
        var members = ((RedisResult[])parts[8]!).Select(m => (string)m!).ToHashSet(StringComparer.Ordinal);
        var tracked = Pairs(parts[9]);
        var current = new List<HeatRow>();
        var older = new List<HeatRow>();
        foreach (var (key, location) in Pairs(parts[2]).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var count = Long(heat, key);
            if (!all && count != 0)
            {
                continue;
            }

            var (file, line, label) = Location(location);
            var row = new HeatRow(key, file, line, count, Time(first, key), Time(last, key), Long(estimated, key),
                variance.TryGetValue(key, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : 0,
                Time(tracked, key) ?? 0, label);
            (members.Contains(key) ? current : older).Add(row);
        }

        return new HeatView(current, older, (string)parts[0]!, (string)parts[1]!);
    }

    public async Task<StatusCounts?> StatusAsync(string? app)
    {
        var apps = app is null ? (await AppsAsync().ConfigureAwait(false)).Order(StringComparer.Ordinal).ToList() : [app];
        var names = new List<string>();
        long hits = 0, unknown = 0, batches = 0, duplicates = 0, srcs = 0, older = 0, versions = 0, cold = 0;
        foreach (var name in apps)
        {
            var result = await Script(RedisScripts.Status, name).ConfigureAwait(false);
            if (result.IsNull)
            {
                continue;
            }

            var r = (RedisResult[])result!;
            names.Add(name);
            hits += (long)r[0];
            unknown += (long)r[1];
            batches += (long)r[2];
            duplicates += (long)r[3];
            srcs += (long)r[5];
            older += (long)r[4] - (long)r[5];
            versions += (long)r[6];
            cold += (long)r[7];
        }

        return app is not null && names.Count == 0 ? null : new StatusCounts(names, srcs, cold, hits, unknown, batches, duplicates, older, versions);
    }

    public async Task<IReadOnlyList<VersionRow>?> VersionsAsync(string app)
    {
        var result = await Script(RedisScripts.Versions, app).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var rows = ((RedisResult[])result!).Select(r => (RedisResult[])r!).ToList();
        return [.. rows.Select((r, i) => new VersionRow((string)r[0]!, (string)r[1]!, (long)r[2], (long)r[3], (long)r[4], (long)r[5], i == rows.Count - 1))];
    }

    public async Task<DropResult?> DropVersionAsync(string app, string version)
    {
        var result = await Script(RedisScripts.DropVersion, app, version).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        var r = (RedisResult[])result!;
        if ((long)r[0] == 1)
        {
            Changed(structural: true);
        }

        return new DropResult((long)r[0] == 1, (long)r[1], (long)r[2] == 1, (string)r[3]!);
    }

    public async Task<long?> ResetHeatmapAsync(string app)
    {
        var result = await Script(RedisScripts.ResetHeatmap, app).ConfigureAwait(false);
        if (result.IsNull)
        {
            return null;
        }

        Changed(structural: true);
        return (long)result;
    }

    public async Task<(long Apps, long Srcs)> ResetAllAsync()
    {
        long apps = 0, srcs = 0;
        foreach (var app in await AppsAsync().ConfigureAwait(false))
        {
            var result = await Script(RedisScripts.DeleteApp, app).ConfigureAwait(false);
            await Db.SetRemoveAsync(AppsKey, app).ConfigureAwait(false);
            if (!result.IsNull)
            {
                apps++;
                srcs += (long)result;
            }
        }

        Changed(structural: true);
        return (apps, srcs);
    }

    public async Task<List<(string App, string Version)>> DropSilentVersionsAsync()
    {
        var dropped = new List<(string App, string Version)>();
        var now = time.GetUtcNow();
        foreach (var app in await AppsAsync().ConfigureAwait(false))
        {
            var result = (RedisResult[])(await Script(RedisScripts.Sweep, app, now.ToUnixTimeMilliseconds(), RetentionMs,
                now.Subtract(StoreRetention.Sequences).ToUnixTimeMilliseconds()).ConfigureAwait(false))!;
            dropped.AddRange(result.Skip(1).Select(v => (app, (string)v!)));
        }

        if (dropped.Count > 0)
        {
            Changed(structural: true);
        }

        return dropped;
    }

    private async Task RunAsync()
    {
        var group = new List<BatchWork>(MaxGroup);
        while (await _queue.WaitAsync().ConfigureAwait(false))
        {
            while (group.Count < MaxGroup && _queue.TryTake(out var work))
            {
                group.Add((BatchWork)work);
            }

            await ApplyGroupAsync(group).ConfigureAwait(false);
            group.Clear();
        }
    }

    // One script call per app for the group's batches, the apps in parallel. A stream's batches must still be applied
    // in order (a failed one stops the later ones), so a stream that moves to another app ends the segment first.
    private async Task ApplyGroupAsync(List<BatchWork> group)
    {
        var byApp = new Dictionary<string, List<BatchWork>>(StringComparer.Ordinal);
        var appOfStream = new Dictionary<CollectStream, string>();
        foreach (var work in group)
        {
            var app = work.Batch.App;
            if (appOfStream.TryGetValue(work.Stream, out var earlier) && earlier != app)
            {
                await Task.WhenAll(byApp.Select(a => ApplyAsync(a.Key, a.Value))).ConfigureAwait(false);
                byApp.Clear();
                appOfStream.Clear();
            }

            appOfStream[work.Stream] = app;
            if (!byApp.TryGetValue(app, out var works))
            {
                byApp.Add(app, works = []);
            }

            works.Add(work);
        }

        await Task.WhenAll(byApp.Select(a => ApplyAsync(a.Key, a.Value))).ConfigureAwait(false);
    }

    // One script call for these batches of one app, in the order they arrived.
    private async Task ApplyAsync(string app, List<BatchWork> list)
    {
        var streams = new Dictionary<CollectStream, int>();
        var args = new List<RedisValue> { Prefix(app), Now(), 0 };
        var sent = new List<BatchWork>(list.Count);
        foreach (var work in list)
        {
            if (work.Stream.Failed)
            {
                work.Finish(BatchOutcome.Skipped);
                continue;
            }

            var batch = work.Batch;
            if (!streams.TryGetValue(work.Stream, out var stream))
            {
                stream = streams.Count;
                streams.Add(work.Stream, stream);
            }

            args.Add(stream);
            args.Add(batch.ProcessId);
            args.Add(batch.Sequence);
            args.Add(batch.Version);
            args.Add(batch.Hits.Count);
            foreach (var hit in batch.Hits)
            {
                args.Add(hit.Key);
                args.Add(hit.Count);
                args.Add(hit.Estimated);
                args.Add(hit.EstimateVariance);
            }

            sent.Add(work);
        }

        if (sent.Count == 0)
        {
            return;
        }

        args[2] = sent.Count;
        RedisResult[] outcomes;
        try
        {
            outcomes = (RedisResult[])(await Db.ScriptEvaluateAsync(RedisScripts.ApplyBatches, [MetaKey(app)], [.. args]).ConfigureAwait(false))!;
        }
        catch (Exception e)
        {
            // Whether or not Redis ran the script, the senders re-send, and the sequences make a re-send a duplicate.
            ServerLog.StoreWriteFailed(logger, sent.Count, e);
            foreach (var work in sent)
            {
                work.Fail(e);
            }

            return;
        }

        var applied = false;
        for (var i = 0; i < sent.Count; i++)
        {
            var outcome = (BatchOutcome)(int)(long)outcomes[i];
            applied |= outcome == BatchOutcome.Applied;
            sent[i].Finish(outcome);
        }

        if (applied)
        {
            Changed(structural: false);
        }
    }

    public List<ViewAppRow> ViewApps(long hourAgoUnixMilliseconds)
    {
        var rows = new List<ViewAppRow>();
        foreach (var app in Db.SetMembers(AppsKey).Select(v => (string)v!).Order(StringComparer.Ordinal))
        {
            var result = Db.ScriptEvaluate(RedisScripts.ViewApp, [MetaKey(app)], [Prefix(app), hourAgoUnixMilliseconds]);
            if (result.IsNull)
            {
                continue;
            }

            var r = (RedisResult[])result!;
            rows.Add(new ViewAppRow(app, (long)r[1], (long)r[2], (long)r[0], (long)r[3], r[4].IsNull ? null : Milliseconds((string)r[4]!)));
        }

        return rows;
    }

    public ViewHeatmap? ViewHeatmap(string app)
    {
        var result = Db.ScriptEvaluate(RedisScripts.Fetch, [MetaKey(app)], [Prefix(app)]);
        if (result.IsNull)
        {
            return null;
        }

        var parts = (RedisResult[])result!;
        var heat = Pairs(parts[3]);
        var first = Pairs(parts[6]);
        var last = Pairs(parts[7]);
        var tracked = Pairs(parts[9]);
        var members = ((RedisResult[])parts[8]!).Select(m => (string)m!).ToHashSet(StringComparer.Ordinal);
        var entries = new List<HeatEntry>();
        var older = new List<HeatEntry>();
        long watermark = 0;
        foreach (var (key, location) in Pairs(parts[2]).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var (file, line, label) = Location(location);
            var lastSeen = Time(last, key);
            watermark = Math.Max(watermark, lastSeen ?? 0);
            (members.Contains(key) ? entries : older).Add(new HeatEntry(key, file, line, Long(heat, key), Offset(Time(first, key)), Offset(lastSeen),
                DateTimeOffset.FromUnixTimeMilliseconds(Time(tracked, key) ?? 0), label));
        }

        return new ViewHeatmap([.. entries], [.. older], watermark);
    }

    public List<ViewChangedRow> ViewChangedSince(string app, long sinceUnixMilliseconds)
    {
        var items = (RedisResult[])Db.ScriptEvaluate(RedisScripts.ChangedSince, [MetaKey(app)], [Prefix(app), sinceUnixMilliseconds])!;
        var changed = new List<ViewChangedRow>(items.Length / 4);
        for (var i = 0; i + 3 < items.Length; i += 4)
        {
            var firstSeen = (string)items[i + 2]!;
            changed.Add(new ViewChangedRow((string)items[i]!, Milliseconds((string)items[i + 1]!),
                firstSeen.Length == 0 ? null : Milliseconds(firstSeen), Milliseconds((string)items[i + 3]!)));
        }

        return changed;
    }

    // This instance's change: its own view hears of it now, the other instances through the channel.
    private void Changed(bool structural)
    {
        changes.Committed(structural);
        _db?.Publish(s_changesChannel, $"{_instance}:{(structural ? 1 : 0)}", CommandFlags.FireAndForget);
    }

    private void Heard(RedisValue message)
    {
        var text = (string?)message ?? "";
        var colon = text.LastIndexOf(':');
        if (colon > 0 && text.AsSpan(0, colon).SequenceEqual(_instance))
        {
            return;
        }

        changes.Committed(structural: text.EndsWith(":1", StringComparison.Ordinal));
    }

    private async Task<HashSet<string>> AppsAsync() =>
        (await Db.SetMembersAsync(AppsKey).ConfigureAwait(false)).Select(v => (string)v!).ToHashSet(StringComparer.Ordinal);

    private Task<RedisResult> Script(string script, string app, params RedisValue[] extra) =>
        Db.ScriptEvaluateAsync(script, [MetaKey(app)], [Prefix(app), .. extra]);

    private long Now() => time.GetUtcNow().ToUnixTimeMilliseconds();

    // The hash tag {app} puts every key of one app in one Redis Cluster slot.
    private static string Prefix(string app) => $"coldmod:{{{app}}}:";

    private static RedisKey MetaKey(string app) => Prefix(app) + "meta";

    private static Dictionary<string, string> Pairs(RedisResult result)
    {
        var items = (RedisResult[])result!;
        var pairs = new Dictionary<string, string>(items.Length / 2, StringComparer.Ordinal);
        for (var i = 0; i + 1 < items.Length; i += 2)
        {
            pairs[(string)items[i]!] = (string)items[i + 1]!;
        }

        return pairs;
    }

    private static long Long(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var value) ? long.Parse(value, CultureInfo.InvariantCulture) : 0;

    // A time in Unix milliseconds: a hash holds it as an integer, a sorted set's score may come back as a double.
    private static long Milliseconds(string value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms) ? ms : (long)double.Parse(value, CultureInfo.InvariantCulture);

    private static long? Time(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var value) ? Milliseconds(value) : null;

    private static DateTimeOffset? Offset(long? unixMilliseconds) =>
        unixMilliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;

    // "file\0line\0label"; a location written before labels has no label part.
    private static (string File, long Line, string Label) Location(string location)
    {
        var parts = location.Split('\0');
        return (parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture), parts.Length > 2 ? parts[2] : "");
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();
}
