using Microsoft.Data.Sqlite;

namespace Coldmod.Server.Internal.Store;

// Fetch and Status read on pooled connections of their own; in WAL mode they see the last commit and
// never wait for the writer.
internal sealed class StoreReader
{
    private string? _connectionString;

    public void Open(string path) => _connectionString = StoreFile.ConnectionString(path, SqliteOpenMode.ReadWrite, pooling: true);

    public void Close()
    {
        if (_connectionString is null)
        {
            return;
        }

        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        _connectionString = null;
    }

    // Null when the app is unknown. See VersionRules for which keys are current.
    public HeatView? Fetch(string app, bool all)
    {
        using var connection = OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: true);
        var appId = FindApp(connection, transaction, app);
        if (appId is null)
        {
            return null;
        }

        var (currentId, version, label) = CurrentVersion(connection, transaction, appId.Value);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"""
            SELECT s.key, s.file, s.line, h.count, h.first_seen, h.last_seen, h.estimated, h.estimate_variance,
                EXISTS (SELECT 1 FROM version_srcs vs WHERE vs.version_id = $current AND vs.src_id = s.id), s.tracked_since, s.label
            FROM srcs s JOIN heat h ON h.src_id = s.id
            WHERE s.app_id = $app {(all ? "" : "AND h.count = 0")}
            ORDER BY s.key
            """;
        command.Parameters.AddWithValue("$app", appId.Value);
        command.Parameters.AddWithValue("$current", currentId);
        var current = new List<HeatRow>();
        var older = new List<HeatRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var row = new HeatRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5),
                reader.GetInt64(6),
                reader.GetDouble(7),
                reader.IsDBNull(9) ? 0 : reader.GetInt64(9),
                reader.GetString(10));
            (reader.GetBoolean(8) ? current : older).Add(row);
        }

        return new HeatView(current, older, version, label);
    }

    // Null when the app is unknown; oldest first, the current version last.
    public IReadOnlyList<VersionRow>? Versions(string app)
    {
        using var connection = OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: true);
        var appId = FindApp(connection, transaction, app);
        if (appId is null)
        {
            return null;
        }

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT v.version, v.label, v.first_seen, v.last_seen, v.processes,
                (SELECT count(*) FROM version_srcs vs WHERE vs.version_id = v.id)
            FROM versions v WHERE v.app_id = $app ORDER BY v.id
            """;
        command.Parameters.AddWithValue("$app", appId.Value);
        var rows = new List<VersionRow>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                rows.Add(new VersionRow(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt64(3),
                    reader.GetInt64(4), reader.GetInt64(5), Current: false));
            }
        }

        if (rows.Count > 0)
        {
            rows[^1] = rows[^1] with { Current = true };
        }

        return rows;
    }

    // Every app when app is null; null when a named app is unknown.
    public StatusCounts? Status(string? app)
    {
        using var connection = OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT name, hits_total, unknown_key_hits, batches_applied, duplicate_batches,
                (SELECT count(*) FROM srcs WHERE srcs.app_id = apps.id),
                (SELECT count(*) FROM version_srcs vs
                    WHERE vs.version_id = (SELECT max(v.id) FROM versions v WHERE v.app_id = apps.id)),
                (SELECT count(*) FROM versions v WHERE v.app_id = apps.id),
                (SELECT count(*) FROM version_srcs vs JOIN heat h ON h.src_id = vs.src_id
                    WHERE vs.version_id = (SELECT max(v.id) FROM versions v WHERE v.app_id = apps.id) AND h.count = 0)
            FROM apps WHERE $app IS NULL OR name = $app ORDER BY name
            """;
        command.Parameters.AddWithValue("$app", (object?)app ?? DBNull.Value);
        var apps = new List<string>();
        long hits = 0;
        long unknown = 0;
        long batches = 0;
        long duplicates = 0;
        long srcs = 0;
        long older = 0;
        long versions = 0;
        long cold = 0;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                apps.Add(reader.GetString(0));
                hits += reader.GetInt64(1);
                unknown += reader.GetInt64(2);
                batches += reader.GetInt64(3);
                duplicates += reader.GetInt64(4);
                var current = reader.GetInt64(6);
                srcs += current;
                older += reader.GetInt64(5) - current;
                versions += reader.GetInt64(7);
                cold += reader.GetInt64(8);
            }
        }

        return app is not null && apps.Count == 0 ? null : new StatusCounts(apps, srcs, cold, hits, unknown, batches, duplicates, older, versions);
    }

    // Also for the web view's own queries (HeatViewQueries).
    public SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString ?? throw new StoreStoppedException());
        connection.Open();
        return connection;
    }

    // Row id 0 (no row) when the app has no version left.
    private static (long Id, string Version, string Label) CurrentVersion(SqliteConnection connection, SqliteTransaction transaction, long appId)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id, version, label FROM versions WHERE app_id = $app ORDER BY id DESC LIMIT 1";
        command.Parameters.AddWithValue("$app", appId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1), reader.GetString(2)) : (0, "", "");
    }

    private static long? FindApp(SqliteConnection connection, SqliteTransaction transaction, string app)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT id FROM apps WHERE name = $name";
        command.Parameters.AddWithValue("$name", app);
        return command.ExecuteScalar() as long?;
    }
}
