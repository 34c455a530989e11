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

    private readonly Dictionary<string, AppState> _apps = new(StringComparer.Ordinal);
    private readonly Dictionary<long, long> _pendingHits = [];
    private readonly HashSet<AppState> _touched = [];
    private long _now;

    public WriterSession(SqliteConnection connection)
    {
        _connection = connection;
        _begin = Prepare("BEGIN IMMEDIATE");
        _commit = Prepare("COMMIT");
        _rollback = Prepare("ROLLBACK");
        _selectApp = Prepare("SELECT id FROM apps WHERE name = $name", ("$name", SqliteType.Text));
        _insertApp = Prepare("INSERT INTO apps (name) VALUES ($name) RETURNING id", ("$name", SqliteType.Text));
        _selectSrcIds = Prepare("SELECT key, id FROM srcs WHERE app_id = $app", ("$app", SqliteType.Integer));
        _selectSrcs = Prepare("SELECT key, id, file, line, label FROM srcs WHERE app_id = $app", ("$app", SqliteType.Integer));
        _insertSrc = Prepare(
            "INSERT INTO srcs (app_id, key, file, line, label) VALUES ($app, $key, $file, $line, $label) RETURNING id",
            ("$app", SqliteType.Integer), ("$key", SqliteType.Text), ("$file", SqliteType.Text), ("$line", SqliteType.Integer), ("$label", SqliteType.Text));
        _deleteSrc = Prepare("DELETE FROM srcs WHERE id = $id", ("$id", SqliteType.Integer));
        _moveSrc = Prepare(
            "UPDATE srcs SET file = $file, line = $line, label = $label WHERE id = $id",
            ("$file", SqliteType.Text), ("$line", SqliteType.Integer), ("$label", SqliteType.Text), ("$id", SqliteType.Integer));
        _addHits = new RawStatement(connection, "UPDATE heat SET count = count + ?1, first_seen = coalesce(first_seen, ?2), last_seen = ?2 WHERE src_id = ?3");
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
            "UPDATE heat SET count = 0, first_seen = NULL, last_seen = NULL WHERE src_id IN (SELECT id FROM srcs WHERE app_id = $app)",
            ("$app", SqliteType.Integer));
        _resetCounters = Prepare(
            "UPDATE apps SET hits_total = 0, unknown_key_hits = 0, batches_applied = 0, duplicate_batches = 0 WHERE id = $app",
            ("$app", SqliteType.Integer));
        _deleteAllApps = Prepare("DELETE FROM apps");
        _deleteAllHeat = Prepare("DELETE FROM heat");
        _deleteAllSrcs = Prepare("DELETE FROM srcs");
        _deleteAllSequences = Prepare("DELETE FROM applied_batches");
        _pruneSequences = Prepare("DELETE FROM applied_batches WHERE applied_at < $before", ("$before", SqliteType.Integer));
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

            // RequestRules keeps counts within long.
            var count = (long)hit.Count;
            if (srcIds.TryGetValue(hit.Key, out var srcId))
            {
                ref var pending = ref CollectionsMarshal.GetValueRefOrAddDefault(_pendingHits, srcId, out _);
                pending = SaturatingAdd(pending, count);
                app.Hits = SaturatingAdd(app.Hits, count);
            }
            else
            {
                app.Unknown = SaturatingAdd(app.Unknown, count);
            }
        }

        return BatchOutcome.Applied;
    }

    public SetResult ApplySet(SetRequest request)
    {
        Flush();
        var app = FindApp(request.App) ?? CreateApp(request.App);
        var wanted = new Dictionary<string, Src>(request.Srcs.Count, StringComparer.Ordinal);
        foreach (var src in request.Srcs)
        {
            wanted.TryAdd(src.Key, src);
        }

        var existing = new List<(string Key, long Id, string File, long Line, string Label)>();
        _selectSrcs.Parameters[0].Value = app.Id;
        using (var reader = _selectSrcs.ExecuteReader())
        {
            while (reader.Read())
            {
                existing.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4)));
            }
        }

        var ids = new Dictionary<string, long>(wanted.Count, StringComparer.Ordinal);
        long kept = 0;
        long removed = 0;
        foreach (var (key, id, file, line, label) in existing)
        {
            if (wanted.TryGetValue(key, out var src))
            {
                if (src.File != file || src.Line != line || src.Label != label)
                {
                    Execute(_moveSrc, src.File, (long)src.Line, src.Label, id);
                }

                ids[key] = id;
                kept++;
            }
            else
            {
                Execute(_deleteSrc, id);
                removed++;
            }
        }

        long added = 0;
        foreach (var (key, src) in wanted)
        {
            if (ids.ContainsKey(key))
            {
                continue;
            }

            Bind(_insertSrc, app.Id, key, src.File, (long)src.Line, src.Label);
            ids[key] = (long)_insertSrc.ExecuteScalar()!;
            added++;
        }

        app.SrcIds = ids;
        return new SetResult(added, removed, kept);
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

        _connection.Dispose();
    }

    private void Flush()
    {
        foreach (var (srcId, count) in _pendingHits)
        {
            _addHits.Bind(1, count).Bind(2, _now).Bind(3, srcId).Execute();
        }

        _pendingHits.Clear();
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
        var app = new AppState((long)_insertApp.ExecuteScalar()!) { SrcIds = new Dictionary<string, long>(StringComparer.Ordinal) };
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

    private static void Bind(SqliteCommand command, params object[] values)
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

    private sealed class AppState(long id)
    {
        public long Id { get; } = id;

        public Dictionary<string, long>? SrcIds { get; set; }

        public Dictionary<string, ulong> LastSequences { get; } = new(StringComparer.Ordinal);

        public HashSet<string> DirtyProcesses { get; } = new(StringComparer.Ordinal);

        public long Hits { get; set; }

        public long Unknown { get; set; }

        public long Batches { get; set; }

        public long Duplicates { get; set; }
    }
}
