using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Coldmod.Server.Internal.Store;

// A statement prepared once on the writer's connection and stepped through SQLitePCL directly.
// The writer's per-row statements run hundreds of thousands of times a second; SqliteCommand's
// per-execution overhead (parameter lookup by name, a data reader per call) was most of their cost.
internal sealed class RawStatement : IDisposable
{
    private readonly sqlite3 _database;
    private readonly sqlite3_stmt _statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _database = connection.Handle!;
        SqliteException.ThrowExceptionForRC(raw.sqlite3_prepare_v2(_database, sql, out _statement), _database);
    }

    public RawStatement Bind(int index, long value)
    {
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_int64(_statement, index, value), _database);
        return this;
    }

    public RawStatement Bind(int index, double value)
    {
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_double(_statement, index, value), _database);
        return this;
    }

    public RawStatement Bind(int index, string value)
    {
        SqliteException.ThrowExceptionForRC(raw.sqlite3_bind_text(_statement, index, value), _database);
        return this;
    }

    // Runs a statement that returns no rows, and returns the number of rows it changed.
    public int Execute()
    {
        var result = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (result != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(result, _database);
        }

        return raw.sqlite3_changes(_database);
    }

    public void Dispose() => _statement.Dispose();
}
