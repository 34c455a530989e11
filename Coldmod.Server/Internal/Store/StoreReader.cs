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

    // Null when the app is unknown.
    public IReadOnlyList<HeatRow>? Fetch(string app, bool all)
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
        command.CommandText = $"""
            SELECT s.key, s.file, s.line, h.count, h.first_seen, h.last_seen, s.label
            FROM srcs s JOIN heat h ON h.src_id = s.id
            WHERE s.app_id = $app {(all ? "" : "AND h.count = 0")}
            ORDER BY s.key
            """;
        command.Parameters.AddWithValue("$app", appId.Value);
        var rows = new List<HeatRow>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            rows.Add(new HeatRow(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5),
                reader.GetString(6)));
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
                (SELECT count(*) FROM srcs WHERE srcs.app_id = apps.id)
            FROM apps WHERE $app IS NULL OR name = $app ORDER BY name
            """;
        command.Parameters.AddWithValue("$app", (object?)app ?? DBNull.Value);
        var apps = new List<string>();
        long hits = 0;
        long unknown = 0;
        long batches = 0;
        long duplicates = 0;
        long srcs = 0;
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                apps.Add(reader.GetString(0));
                hits += reader.GetInt64(1);
                unknown += reader.GetInt64(2);
                batches += reader.GetInt64(3);
                duplicates += reader.GetInt64(4);
                srcs += reader.GetInt64(5);
            }
        }

        return app is not null && apps.Count == 0 ? null : new StatusCounts(apps, srcs, hits, unknown, batches, duplicates);
    }

    private SqliteConnection OpenConnection()
    {
        var connection = new SqliteConnection(_connectionString ?? throw new StoreStoppedException());
        connection.Open();
        return connection;
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
