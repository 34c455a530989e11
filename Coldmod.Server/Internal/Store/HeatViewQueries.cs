using Coldmod.Server.Model;
using Microsoft.Data.Sqlite;

namespace Coldmod.Server.Internal.Store;

// The web view's reads from the SQLite file (SqliteHeatmapStore): the app list with totals, a whole heatmap, and the
// srcs whose counts changed since a moment (last_seen is the commit's clock, which only grows, so "at or after the
// last one seen" misses nothing).
internal sealed class HeatViewQueries(StoreReader reader)
{
    public List<ViewAppRow> Apps(long hourAgoUnixMilliseconds)
    {
        using var connection = reader.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT a.name, a.hits_total,
                (SELECT count(*) FROM version_srcs vs WHERE vs.version_id = (SELECT max(v.id) FROM versions v WHERE v.app_id = a.id)),
                (SELECT count(*) FROM version_srcs vs JOIN heat h ON h.src_id = vs.src_id
                    WHERE vs.version_id = (SELECT max(v.id) FROM versions v WHERE v.app_id = a.id) AND h.count = 0),
                (SELECT count(*) FROM applied_batches b WHERE b.app_id = a.id AND b.applied_at >= $hour),
                (SELECT min(s.tracked_since) FROM srcs s WHERE s.app_id = a.id)
            FROM apps a ORDER BY a.name
            """;
        command.Parameters.AddWithValue("$hour", hourAgoUnixMilliseconds);
        var apps = new List<ViewAppRow>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            apps.Add(new ViewAppRow(rows.GetString(0), rows.GetInt64(2), rows.GetInt64(3), rows.GetInt64(1), rows.GetInt64(4), rows.IsDBNull(5) ? null : rows.GetInt64(5)));
        }

        return apps;
    }

    // Null when the app is unknown.
    public ViewHeatmap? Heatmap(string app)
    {
        using var connection = reader.OpenConnection();
        using var transaction = connection.BeginTransaction(deferred: true);
        using var find = connection.CreateCommand();
        find.Transaction = transaction;
        find.CommandText = "SELECT id FROM apps WHERE name = $name";
        find.Parameters.AddWithValue("$name", app);
        if (find.ExecuteScalar() is not long appId)
        {
            return null;
        }

        // The current version is looked up once, not once per src.
        using var current = connection.CreateCommand();
        current.Transaction = transaction;
        current.CommandText = "SELECT coalesce(max(id), 0) FROM versions WHERE app_id = $app";
        current.Parameters.AddWithValue("$app", appId);
        var currentId = (long)current.ExecuteScalar()!;

        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            SELECT s.key, s.file, s.line, h.count, h.first_seen, h.last_seen, s.tracked_since, s.label,
                EXISTS (SELECT 1 FROM version_srcs vs WHERE vs.version_id = $current AND vs.src_id = s.id)
            FROM srcs s JOIN heat h ON h.src_id = s.id
            WHERE s.app_id = $app ORDER BY s.key
            """;
        command.Parameters.AddWithValue("$app", appId);
        command.Parameters.AddWithValue("$current", currentId);
        var entries = new List<HeatEntry>();
        var older = new List<HeatEntry>();
        long watermark = 0;
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            var lastSeen = Nullable(rows, 5);
            watermark = Math.Max(watermark, lastSeen ?? 0);
            (rows.GetBoolean(8) ? entries : older).Add(new HeatEntry(
                rows.GetString(0),
                rows.GetString(1),
                rows.GetInt64(2),
                rows.GetInt64(3),
                Time(Nullable(rows, 4)),
                Time(lastSeen),
                DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(6)),
                rows.GetString(7)));
        }

        return new ViewHeatmap([.. entries], [.. older], watermark);
    }

    public List<ViewChangedRow> ChangedSince(string app, long watermark)
    {
        using var connection = reader.OpenConnection();
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT s.key, h.count, h.first_seen, h.last_seen
            FROM heat h JOIN srcs s ON s.id = h.src_id JOIN apps a ON a.id = s.app_id
            WHERE a.name = $name AND h.last_seen >= $since
            """;
        command.Parameters.AddWithValue("$name", app);
        command.Parameters.AddWithValue("$since", watermark);
        var changed = new List<ViewChangedRow>();
        using var rows = command.ExecuteReader();
        while (rows.Read())
        {
            changed.Add(new ViewChangedRow(rows.GetString(0), rows.GetInt64(1), Nullable(rows, 2), Nullable(rows, 3)));
        }

        return changed;
    }

    private static long? Nullable(SqliteDataReader rows, int column) => rows.IsDBNull(column) ? null : rows.GetInt64(column);

    private static DateTimeOffset? Time(long? unixMilliseconds) =>
        unixMilliseconds is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
}
