using Microsoft.Data.Sqlite;

namespace Coldmod.Server.Internal.Store;

// Opens the store file for the writer and brings its schema up to date. It refuses, and never
// overwrites or recreates, a file that is not a Coldmod store, is corrupt, read-only, locked, or
// newer than this server.
internal static class StoreFile
{
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteReadOnly = 8;
    private const int SqliteCantOpen = 14;
    private const int SqliteCorrupt = 11;
    private const int SqliteNotADatabase = 26;

    public sealed record Opened(SqliteConnection Connection, bool Created, int FromVersion, int ToVersion);

    public static Opened Open(string path, bool durable)
    {
        if (Directory.Exists(path))
        {
            throw Refuse(path, "is a directory", "name a file");
        }

        var existed = File.Exists(path);
        if (existed && File.GetAttributes(path).HasFlag(FileAttributes.ReadOnly))
        {
            throw Refuse(path, "is read-only", "make it writable (chmod u+w) or point COLDMOD_STORE at another file");
        }

        var connection = new SqliteConnection(ConnectionString(path, existed ? SqliteOpenMode.ReadWrite : SqliteOpenMode.ReadWriteCreate, pooling: false));
        try
        {
            connection.Open();
            if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
            {
                throw Refuse(path, "can only be opened read-only", "make the file and its directory writable, or point COLDMOD_STORE at another file");
            }

            var (applicationId, version, objects) = ReadHeader(connection);
            var isNew = applicationId == 0 && version == 0 && objects == 0;
            if (!isNew && applicationId != StoreSchema.ApplicationId)
            {
                throw Refuse(path, "is a SQLite database but not a Coldmod store", "point COLDMOD_STORE at a Coldmod store or a new file");
            }

            if (version > StoreSchema.CurrentVersion)
            {
                throw Refuse(path, $"was written by a newer Coldmod (schema version {version}; this server knows up to {StoreSchema.CurrentVersion})", "upgrade this server");
            }

            Configure(connection, durable);
            Migrate(connection, version);
            return new Opened(connection, isNew, (int)version, StoreSchema.CurrentVersion);
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw Classify(path, e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public static string ConnectionString(string path, SqliteOpenMode mode, bool pooling) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = mode,
        Cache = SqliteCacheMode.Private,
        Pooling = pooling,
        DefaultTimeout = 30,
    }.ToString();

    private static (long ApplicationId, long Version, long Objects) ReadHeader(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT application_id FROM pragma_application_id), (SELECT user_version FROM pragma_user_version), (SELECT count(*) FROM sqlite_schema)";
        using var reader = command.ExecuteReader();
        reader.Read();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    private static void Configure(SqliteConnection connection, bool durable)
    {
        using var command = connection.CreateCommand();
        // WAL lets Fetch and Status read while the writer commits. With synchronous=NORMAL a commit
        // survives a crash of this process but not of the machine; FULL survives both at the cost of
        // an fsync per commit (amortised over the batches grouped into it).
        command.CommandText = $"""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = {(durable ? "FULL" : "NORMAL")};
            PRAGMA temp_store = MEMORY;
            PRAGMA cache_size = -65536;
            """;
        command.ExecuteNonQuery();
    }

    private static void Migrate(SqliteConnection connection, long fromVersion)
    {
        if (fromVersion == StoreSchema.CurrentVersion)
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = "BEGIN IMMEDIATE";
        command.ExecuteNonQuery();
        try
        {
            for (var version = (int)fromVersion + 1; version <= StoreSchema.CurrentVersion; version++)
            {
                command.CommandText = StoreSchema.Migration(version);
                command.ExecuteNonQuery();
                command.CommandText = $"PRAGMA user_version = {version}; PRAGMA application_id = {StoreSchema.ApplicationId};";
                command.ExecuteNonQuery();
            }

            command.CommandText = "COMMIT";
            command.ExecuteNonQuery();
        }
        catch
        {
            command.CommandText = "ROLLBACK";
            command.ExecuteNonQuery();
            throw;
        }
    }

    private static ColdmodStoreException Classify(string path, SqliteException e) => e.SqliteErrorCode switch
    {
        SqliteNotADatabase => Refuse(path, "is not a SQLite database (or is encrypted)", "point COLDMOD_STORE at a Coldmod store or a new file, and move this file away if it is not needed", e),
        SqliteCorrupt => Refuse(path, "is corrupt", "restore it from a backup, or point COLDMOD_STORE at a new file", e),
        SqliteReadOnly => Refuse(path, "cannot be written (read-only file, directory or file system)", "make the file and its directory writable, or point COLDMOD_STORE at another file", e),
        SqliteBusy or SqliteLocked => Refuse(path, "is locked by another process (another Coldmod server?)", "stop that process, or point COLDMOD_STORE at another file", e),
        SqliteCantOpen => Refuse(path, "cannot be opened", "check that the path and its directory are accessible", e),
        _ => Refuse(path, $"cannot be used ({e.Message})", "check the file, or point COLDMOD_STORE at another file", e),
    };

    private static ColdmodStoreException Refuse(string path, string problem, string fix, Exception? inner = null)
    {
        var message = $"COLDMOD_STORE: the SQLite file '{path}' {problem}; {fix}. The file was not changed.";
        return inner is null ? new ColdmodStoreException(message) : new ColdmodStoreException(message, inner);
    }
}
