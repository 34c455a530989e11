using System.Runtime.InteropServices;
using Coldmod.Protocol;
using Microsoft.Data.Sqlite;

namespace Coldmod.Server.Internal.Store;

// The only writer of the store, used by one thread at a time (the writer loop). Batches are folded
// into per-src sums in memory and written at Commit, so a transaction that groups many batches
// updates each hot src once. The caches (app ids, key -> src id, last sequence per process) are
// exact because nothing else writes; any failure drops them and they reload from the store.
internal sealed class WriterSession : IDisposable
{
    // Caps the memory of last sequences per app; they are all persisted, so forgetting costs a lookup.
    private const int MaxRememberedProcesses = 100_000;

    private readonly SqliteConnection _connection;
    private readonly List<SqliteCommand> _commands = [];
    private readonly SqliteCommand _begin;
    private readonly SqliteCommand _commit;
    private readonly SqliteCommand _rollback;
    private readonly SqliteCommand _selectApp;
    private readonly SqliteCommand _insertApp;
    private readonly SqliteCommand _selectSrcIds;
    private readonly SqliteCommand _selectSrcs;
    private readonly SqliteCommand _insertSrc;
    private readonly SqliteCommand _deleteSrc;
    private readonly SqliteCommand _moveSrc;
    private readonly RawStatement _addHits;
    private readonly SqliteCommand _selectLastSequence;
    private readonly SqliteCommand _upsertLastSequence;
    private readonly SqliteCommand _addCounters;
    private readonly SqliteCommand _resetSrcs;
    private readonly SqliteCommand _resetCounters;
    private readonly SqliteCommand _deleteAllApps;
    private readonly SqliteCommand _deleteAllSrcs;
    private readonly SqliteCommand _deleteAllHeat;
    private readonly SqliteCommand _deleteAllSequences;
    private readonly SqliteCommand _pruneSequences;
    private readonly SqliteCommand _selectVersions;
    private readonly SqliteCommand _insertVersion;
    private readonly SqliteCommand _startVersion;
    private readonly RawStatement _touchVersion;
    private readonly SqliteCommand _deleteVersionSrcs;
    private readonly RawStatement _insertVersionSrc;
    private readonly SqliteCommand _countLeftBehind;
    private readonly SqliteCommand _deleteVersion;
    private readonly SqliteCommand _deleteOrphanSrcs;
    private readonly SqliteCommand _selectSilentVersions;
    private readonly SqliteCommand _deleteAllVersions;
    private readonly SqliteCommand _deleteAllVersionSrcs;

    private readonly Dictionary<string, AppState> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<long, PendingHeat> _pendingHits = [];
    private readonly HashSet<AppState> _touched = [];
    private readonly HashSet<long> _seenVersions = [];
    private readonly TimeSpan _versionRetention;
    private long _now;

    public WriterSession(SqliteConnection connection, TimeSpan? versionRetention = null)
    {
        _connection = connection;
        _versionRetention = versionRetention ?? VersionRules.DefaultRetention;
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        _selectApp = Prepare("SELECT id FROM apps WHERE name = $name", ("$name", SqliteType.Text));
        _insertApp = Prepare("INSERT INTO apps (name) VALUES ($name) RETURNING id", ("$name", SqliteType.Text));
        _selectSrcIds = Prepare("SELECT key, id FROM srcs WHERE app_id = $app", ("$app", SqliteType.Integer));
        _selectSrcs = Prepare("SELECT key, id, file, line, label FROM srcs WHERE app_id = $app", ("$app", SqliteType.Integer));
        _insertSrc = Prepare(
            "INSERT INTO srcs (app_id, key, file, line, tracked_since, label) VALUES ($app, $key, $file, $line, $now, $label) RETURNING id",
            ("$app", SqliteType.Integer), ("$key", SqliteType.Text), ("$file", SqliteType.Text), ("$line", SqliteType.Integer),
            ("$now", SqliteType.Integer), ("$label", SqliteType.Text));
        _deleteSrc = Prepare("DELETE FROM srcs WHERE id = $id", ("$id", SqliteType.Integer));
        _moveSrc = Prepare(
            "UPDATE srcs SET file = $file, line = $line, label = $label WHERE id = $id",
            ("$file", SqliteType.Text), ("$line", SqliteType.Integer), ("$label", SqliteType.Text), ("$id", SqliteType.Integer));
        _addHits = new RawStatement(connection, """
            UPDATE heat SET count = count + ?1, first_seen = coalesce(first_seen, ?2), last_seen = ?2,
                estimated = estimated + ?4, estimate_variance = estimate_variance + ?5
            WHERE src_id = ?3
            """);
        _selectLastSequence = Prepare(
            "SELECT max_sequence FROM applied_batches WHERE app_id = $app AND process_id = $process",
            ("$app", SqliteType.Integer), ("$process", SqliteType.Text));
        _upsertLastSequence = Prepare(
            """
            INSERT INTO applied_batches (app_id, process_id, max_sequence, applied_at) VALUES ($app, $process, $sequence, $now)
            ON CONFLICT (app_id, process_id) DO UPDATE SET max_sequence = excluded.max_sequence, applied_at = excluded.applied_at
            """,
            ("$app", SqliteType.Integer), ("$process", SqliteType.Text), ("$sequence", SqliteType.Integer), ("$now", SqliteType.Integer));
        _addCounters = Prepare(
            """
            UPDATE apps SET hits_total = hits_total + $hits, unknown_key_hits = unknown_key_hits + $unknown,
                batches_applied = batches_applied + $batches, duplicate_batches = duplicate_batches + $duplicates
            WHERE id = $app
            """,
            ("$hits", SqliteType.Integer), ("$unknown", SqliteType.Integer), ("$batches", SqliteType.Integer),
            ("$duplicates", SqliteType.Integer), ("$app", SqliteType.Integer));
        _resetSrcs = Prepare(
            "UPDATE heat SET count = 0, first_seen = NULL, last_seen = NULL, estimated = 0, estimate_variance = 0 WHERE src_id IN (SELECT id FROM srcs WHERE app_id = $app)",
            ("$app", SqliteType.Integer));
        _resetCounters = Prepare(
            "UPDATE apps SET hits_total = 0, unknown_key_hits = 0, batches_applied = 0, duplicate_batches = 0 WHERE id = $app",
            ("$app", SqliteType.Integer));
        _deleteAllApps = Prepare("DELETE FROM apps");
        _deleteAllHeat = Prepare("DELETE FROM heat");
        _deleteAllSrcs = Prepare("DELETE FROM srcs");
        _deleteAllSequences = Prepare("DELETE FROM applied_batches");
        _pruneSequences = Prepare("DELETE FROM applied_batches WHERE applied_at < $before", ("$before", SqliteType.Integer));
        _selectVersions = Prepare("SELECT version, id FROM versions WHERE app_id = $app", ("$app", SqliteType.Integer));
        _insertVersion = Prepare(
            "INSERT INTO versions (app_id, version, label, first_seen, last_seen, processes) VALUES ($app, $version, $label, $now, $now, 1) RETURNING id",
            ("$app", SqliteType.Integer), ("$version", SqliteType.Text), ("$label", SqliteType.Text), ("$now", SqliteType.Integer));
        _startVersion = Prepare(
            "UPDATE versions SET last_seen = $now, processes = processes + 1, label = CASE WHEN $label = '' THEN label ELSE $label END WHERE id = $id",
            ("$now", SqliteType.Integer), ("$label", SqliteType.Text), ("$id", SqliteType.Integer));
        _touchVersion = new RawStatement(connection, "UPDATE versions SET last_seen = max(last_seen, ?1) WHERE id = ?2");
        _deleteVersionSrcs = Prepare("DELETE FROM version_srcs WHERE version_id = $id", ("$id", SqliteType.Integer));
        _insertVersionSrc = new RawStatement(connection, "INSERT OR IGNORE INTO version_srcs (version_id, src_id) VALUES (?1, ?2)");
        _countLeftBehind = Prepare(
            """
            SELECT count(*) FROM version_srcs p WHERE p.version_id = $previous
                AND NOT EXISTS (SELECT 1 FROM version_srcs n WHERE n.version_id = $current AND n.src_id = p.src_id)
            """,
            ("$previous", SqliteType.Integer), ("$current", SqliteType.Integer));
        _deleteVersion = Prepare("DELETE FROM versions WHERE id = $id", ("$id", SqliteType.Integer));
        _deleteOrphanSrcs = Prepare(
            "DELETE FROM srcs WHERE app_id = $app AND NOT EXISTS (SELECT 1 FROM version_srcs vs WHERE vs.src_id = srcs.id)",
            ("$app", SqliteType.Integer));
        _selectSilentVersions = Prepare(
            """
            SELECT a.name, v.version FROM versions v JOIN apps a ON a.id = v.app_id
            WHERE v.last_seen < $before AND v.id <> (SELECT max(w.id) FROM versions w WHERE w.app_id = v.app_id)
                AND ($app IS NULL OR v.app_id = $app)
            """,
            ("$before", SqliteType.Integer), ("$app", SqliteType.Integer));
        _deleteAllVersions = Prepare("DELETE FROM versions");
        _deleteAllVersionSrcs = Prepare("DELETE FROM version_srcs");
    }

    public void Begin(long nowUnixMilliseconds)
    {
        _now = nowUnixMilliseconds;
        _begin.ExecuteNonQuery();
    }

    public void Commit()
    {
        Flush();
        _commit.ExecuteNonQuery();
    }

    public void Rollback()
    {
        Forget();
        try
        {
            _rollback.ExecuteNonQuery();
        }
        catch (SqliteException)
        {
            // SQLite already rolled the transaction back (it does on some I/O errors).
        }
    }

    public BatchOutcome ApplyBatch(Batch batch)
    {
        var app = FindApp(batch.App);
        if (app is null)
        {
            return BatchOutcome.UnknownApp;
        }

        _touched.Add(app);
        if (batch.Sequence <= LastSequence(app, batch.ProcessId))
        {
            app.Duplicates++;
            return BatchOutcome.Duplicate;
        }

        if (batch.Version.Length > 0)
        {
            if (!Versions(app).TryGetValue(batch.Version, out var versionId))
            {
                return BatchOutcome.UnknownVersion;
            }

            _seenVersions.Add(versionId);
        }

        app.LastSequences[batch.ProcessId] = batch.Sequence;
        app.DirtyProcesses.Add(batch.ProcessId);
        app.Batches++;
        var srcIds = SrcIds(app);
        foreach (var hit in batch.Hits)
        {
            if (hit.Count == 0)
            {
                continue;
            }

            // RequestRules keeps counts within long, and the estimated part within the count.
            var count = (long)hit.Count;
            if (srcIds.TryGetValue(hit.Key, out var srcId))
            {
                ref var pending = ref CollectionsMarshal.GetValueRefOrAddDefault(_pendingHits, srcId, out _);
                pending.Count = SaturatingAdd(pending.Count, count);
                pending.Estimated = SaturatingAdd(pending.Estimated, (long)hit.Estimated);
                pending.Variance += hit.EstimateVariance;
                app.Hits = SaturatingAdd(app.Hits, count);
            }
            else
            {
                app.Unknown = SaturatingAdd(app.Unknown, count);
            }
        }

        return BatchOutcome.Applied;
    }

    // See VersionRules: the request's version gets exactly its srcs; no other version's keys or counts change.
    public SetResult ApplySet(SetRequest request)
    {
        Flush();
        var versionName = request.Version.Length > 0 ? request.Version : VersionRules.Derive(request.Srcs);
        var app = FindApp(request.App);
        if (request.VersionOnly)
        {
            if (app is null || !Versions(app).TryGetValue(versionName, out var knownId))
            {
                return new SetResult(0, 0, 0, versionName, Current: false, VersionUnknown: true);
            }

            Execute(_startVersion, _now, request.Label, knownId);
            DropSilentVersions(app.Id);
            var isCurrent = knownId == CurrentVersion(app);
            return new SetResult(0, 0, CountVersionSrcs(knownId), versionName, isCurrent);
        }

        app ??= CreateApp(request.App);
        var versions = Versions(app);
        var previousCurrent = CurrentVersion(app);
        var reSet = versions.TryGetValue(versionName, out var versionId);
        if (reSet)
        {
            Execute(_startVersion, _now, request.Label, versionId);
            Execute(_deleteVersionSrcs, versionId);
        }
        else
        {
            Bind(_insertVersion, app.Id, versionName, request.Label, _now);
            versionId = (long)_insertVersion.ExecuteScalar()!;
            versions.Add(versionName, versionId);
        }

        var current = versionId == CurrentVersion(app);
        var wanted = new Dictionary<string, Src>(request.Srcs.Count, StringComparer.Ordinal);
        foreach (var src in request.Srcs)
        {
            wanted.TryAdd(src.Key, src);
        }

        var existing = new Dictionary<string, (long Id, string File, long Line, string Label)>(StringComparer.Ordinal);
        _selectSrcs.Parameters[0].Value = app.Id;
        using (var reader = _selectSrcs.ExecuteReader())
        {
            while (reader.Read())
            {
                existing.Add(reader.GetString(0), (reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4)));
            }
        }

        long kept = 0;
        long added = 0;
        var ids = app.SrcIds;
        foreach (var (key, src) in wanted)
        {
            long srcId;
            if (existing.TryGetValue(key, out var known))
            {
                srcId = known.Id;
                kept++;
                // The location shown is the newest build's; an older build starting again does not move it back.
                if (current && (src.File != known.File || src.Line != known.Line || src.Label != known.Label))
                {
                    Execute(_moveSrc, src.File, (long)src.Line, src.Label, srcId);
                }
            }
            else
            {
                Bind(_insertSrc, app.Id, key, src.File, (long)src.Line, _now, src.Label);
                srcId = (long)_insertSrc.ExecuteScalar()!;
                if (ids is not null)
                {
                    ids[key] = srcId;
                }

                added++;
            }

            _insertVersionSrc.Bind(1, versionId).Bind(2, srcId).Execute();
        }

        long removed = 0;
        if (current && previousCurrent is { } previous && previous != versionId)
        {
            Bind(_countLeftBehind, previous, versionId);
            removed = (long)_countLeftBehind.ExecuteScalar()!;
        }

        // A version set again with fewer keys may leave keys that no version has.
        if (reSet && Execute(_deleteOrphanSrcs, app.Id) > 0)
        {
            app.SrcIds = null;
        }

        DropSilentVersions(app.Id);
        return new SetResult(added, removed, kept, versionName, current);
    }

    // Null when the app is unknown.
    public DropResult? DropVersion(string appName, string version)
    {
        Flush();
        var app = FindApp(appName);
        if (app is null)
        {
            return null;
        }

        if (!Versions(app).TryGetValue(version, out var versionId))
        {
            return new DropResult(false, 0, false, "");
        }

        var wasCurrent = versionId == CurrentVersion(app);
        var srcs = Drop(app, version, versionId);
        var current = CurrentVersion(app) is { } id ? Versions(app).First(v => v.Value == id).Key : "";
        return new DropResult(true, srcs, wasCurrent, current);
    }

    // Retention over every app (app null) or one; returns the versions dropped, as (app, version).
    public List<(string App, string Version)> DropSilentVersions(long? appId = null)
    {
        Flush();
        var silent = new List<(string App, string Version)>();
        Bind(_selectSilentVersions, _now - (long)_versionRetention.TotalMilliseconds, (object?)appId ?? DBNull.Value);
        using (var reader = _selectSilentVersions.ExecuteReader())
        {
            while (reader.Read())
            {
                silent.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (appName, version) in silent)
        {
            var app = FindApp(appName)!;
            Drop(app, version, Versions(app)[version]);
        }

        return silent;
    }

    // Null when the app is unknown.
    public long? ResetHeatmap(string appName)
    {
        Flush();
        var app = FindApp(appName);
        if (app is null)
        {
            return null;
        }

        var srcs = Execute(_resetSrcs, app.Id);
        Execute(_resetCounters, app.Id);
        return srcs;
    }

    public (long Apps, long Srcs) ResetAll()
    {
        Flush();
        var apps = Execute(_deleteAllApps);
        Execute(_deleteAllHeat);
        var srcs = Execute(_deleteAllSrcs);
        Execute(_deleteAllSequences);
        Execute(_deleteAllVersions);
        Execute(_deleteAllVersionSrcs);
        _apps.Clear();
        return (apps, srcs);
    }

    public long PruneSequences(long beforeUnixMilliseconds)
    {
        Flush();
        var pruned = Execute(_pruneSequences, beforeUnixMilliseconds);
        foreach (var app in _apps.Values)
        {
            app.LastSequences.Clear();
        }

        return pruned;
    }

    public void Dispose()
    {
        foreach (var command in _commands)
        {
            command.Dispose();
        }

        _addHits.Dispose();
        _touchVersion.Dispose();
        _insertVersionSrc.Dispose();

        _connection.Dispose();
    }

    private void Flush()
    {
        foreach (var (srcId, pending) in _pendingHits)
        {
            _addHits.Bind(1, pending.Count).Bind(2, _now).Bind(3, srcId).Bind(4, pending.Estimated).Bind(5, pending.Variance).Execute();
        }

        _pendingHits.Clear();
        foreach (var versionId in _seenVersions)
        {
            _touchVersion.Bind(1, _now).Bind(2, versionId).Execute();
        }

        _seenVersions.Clear();
        foreach (var app in _touched)
        {
            Execute(_addCounters, app.Hits, app.Unknown, app.Batches, app.Duplicates, app.Id);
            app.Hits = app.Unknown = app.Batches = app.Duplicates = 0;
            foreach (var process in app.DirtyProcesses)
            {
                Execute(_upsertLastSequence, app.Id, process, (long)app.LastSequences[process], _now);
            }

            app.DirtyProcesses.Clear();
            if (app.LastSequences.Count > MaxRememberedProcesses)
            {
                app.LastSequences.Clear();
            }
        }

        _touched.Clear();
    }

    private void Forget()
    {
        _apps.Clear();
        _pendingHits.Clear();
        _touched.Clear();
        _seenVersions.Clear();
    }

    private AppState? FindApp(string name)
    {
        if (_apps.TryGetValue(name, out var app))
        {
            return app;
        }

        _selectApp.Parameters[0].Value = name;
        if (_selectApp.ExecuteScalar() is not long id)
        {
            // Unknown apps are not remembered: their names come from clients and are unbounded.
            return null;
        }

        app = new AppState(id);
        _apps.Add(name, app);
        return app;
    }

    private AppState CreateApp(string name)
    {
        _insertApp.Parameters[0].Value = name;
        var app = new AppState((long)_insertApp.ExecuteScalar()!)
        {
            SrcIds = new Dictionary<string, long>(StringComparer.Ordinal),
            Versions = new Dictionary<string, long>(StringComparer.Ordinal),
        };
        _apps.Add(name, app);
        return app;
    }

    private Dictionary<string, long> SrcIds(AppState app)
    {
        if (app.SrcIds is not null)
        {
            return app.SrcIds;
        }

        var ids = new Dictionary<string, long>(StringComparer.Ordinal);
        _selectSrcIds.Parameters[0].Value = app.Id;
        using (var reader = _selectSrcIds.ExecuteReader())
        {
            while (reader.Read())
            {
                ids.Add(reader.GetString(0), reader.GetInt64(1));
            }
        }

        return app.SrcIds = ids;
    }

    private Dictionary<string, long> Versions(AppState app)
    {
        if (app.Versions is not null)
        {
            return app.Versions;
        }

        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        _selectVersions.Parameters[0].Value = app.Id;
        using (var reader = _selectVersions.ExecuteReader())
        {
            while (reader.Read())
            {
                versions.Add(reader.GetString(0), reader.GetInt64(1));
            }
        }

        return app.Versions = versions;
    }

    // The version first seen last: the highest row id, since ids only grow.
    private long? CurrentVersion(AppState app)
    {
        var versions = Versions(app);
        return versions.Count == 0 ? null : versions.Values.Max();
    }

    private long CountVersionSrcs(long versionId)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM version_srcs WHERE version_id = $id";
        command.Parameters.AddWithValue("$id", versionId);
        return (long)command.ExecuteScalar()!;
    }

    // Returns the number of keys deleted because no remaining version has them.
    private long Drop(AppState app, string version, long versionId)
    {
        Execute(_deleteVersionSrcs, versionId);
        Execute(_deleteVersion, versionId);
        app.Versions?.Remove(version);
        _seenVersions.Remove(versionId);
        app.SrcIds = null;
        return Execute(_deleteOrphanSrcs, app.Id);
    }

    private ulong LastSequence(AppState app, string processId)
    {
        if (app.LastSequences.TryGetValue(processId, out var sequence))
        {
            return sequence;
        }

        Bind(_selectLastSequence, app.Id, processId);
        sequence = _selectLastSequence.ExecuteScalar() is long stored ? (ulong)stored : 0;
        app.LastSequences[processId] = sequence;
        return sequence;
    }

    private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        _commands.Add(command);
        return command;
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }
    }

    private static int Execute(SqliteCommand command, params object[] values)
    {
        Bind(command, values);
        return command.ExecuteNonQuery();
    }

    private static long SaturatingAdd(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    private struct PendingHeat
    {
        public long Count;
        public long Estimated;
        public double Variance;
    }

    private sealed class AppState(long id)
    {
        public long Id { get; } = id;

        public Dictionary<string, long>? SrcIds { get; set; }

        // Version id -> row id, every retained version of the app.
        public Dictionary<string, long>? Versions { get; set; }

        public Dictionary<string, ulong> LastSequences { get; } = new(StringComparer.Ordinal);

        public HashSet<string> DirtyProcesses { get; } = new(StringComparer.Ordinal);

        public long Hits { get; set; }

        public long Unknown { get; set; }

        public long Batches { get; set; }

        public long Duplicates { get; set; }
    }
}
