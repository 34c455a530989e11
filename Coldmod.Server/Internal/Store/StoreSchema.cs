namespace Coldmod.Server.Internal.Store;

// Versions are PRAGMA user_version; PRAGMA application_id marks the file as a Coldmod store so that
// another program's database is refused instead of being written into. A new version appends a
// migration; a released one is never edited.
internal static class StoreSchema
{
    // "Cold" in ASCII.
    public const int ApplicationId = 0x436F6C64;

    public static int CurrentVersion => s_migrations.Length;

    public static string Migration(int toVersion) => s_migrations[toVersion - 1];

    private static readonly string[] s_migrations =
    [
        """
        CREATE TABLE apps (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            hits_total INTEGER NOT NULL DEFAULT 0,
            unknown_key_hits INTEGER NOT NULL DEFAULT 0,
            batches_applied INTEGER NOT NULL DEFAULT 0,
            duplicate_batches INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE srcs (
            id INTEGER PRIMARY KEY,
            app_id INTEGER NOT NULL,
            key TEXT NOT NULL,
            file TEXT NOT NULL,
            line INTEGER NOT NULL,
            UNIQUE (app_id, key)
        );

        -- The counts live apart from the wide srcs rows: every commit rewrites the pages of the
        -- rows it touched, and narrow rows make those few.
        CREATE TABLE heat (
            src_id INTEGER PRIMARY KEY,
            count INTEGER NOT NULL DEFAULT 0,
            first_seen INTEGER NULL,
            last_seen INTEGER NULL
        );

        CREATE TRIGGER srcs_insert_heat AFTER INSERT ON srcs BEGIN
            INSERT INTO heat (src_id) VALUES (new.id);
        END;

        CREATE TRIGGER srcs_delete_heat AFTER DELETE ON srcs BEGIN
            DELETE FROM heat WHERE src_id = old.id;
        END;

        -- One row per sender process: the highest sequence applied (see Collect in coldmod.proto).
        CREATE TABLE applied_batches (
            app_id INTEGER NOT NULL,
            process_id TEXT NOT NULL,
            max_sequence INTEGER NOT NULL,
            applied_at INTEGER NOT NULL,
            PRIMARY KEY (app_id, process_id)
        ) WITHOUT ROWID;

        CREATE INDEX applied_batches_applied_at ON applied_batches (applied_at);
        """,
        // 2: versions (see VersionRules). Counts stay per key in heat; a version only says which keys its build has.
        // Each app's existing srcs become one version, so stores from before carry their keys and counts forward.
        // heat gains the estimated part of each count and the summed variance of those estimates.
        """
        CREATE TABLE versions (
            id INTEGER PRIMARY KEY,
            app_id INTEGER NOT NULL,
            version TEXT NOT NULL,
            label TEXT NOT NULL DEFAULT '',
            first_seen INTEGER NOT NULL,
            last_seen INTEGER NOT NULL,
            processes INTEGER NOT NULL DEFAULT 0,
            UNIQUE (app_id, version)
        );

        CREATE TABLE version_srcs (
            version_id INTEGER NOT NULL,
            src_id INTEGER NOT NULL,
            PRIMARY KEY (version_id, src_id)
        ) WITHOUT ROWID;

        CREATE INDEX version_srcs_src ON version_srcs (src_id);

        ALTER TABLE heat ADD COLUMN estimated INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE heat ADD COLUMN estimate_variance REAL NOT NULL DEFAULT 0;

        INSERT INTO versions (app_id, version, label, first_seen, last_seen, processes)
            SELECT id, 'pre-versions', 'srcs from before versions', CAST(strftime('%s', 'now') AS INTEGER) * 1000,
                CAST(strftime('%s', 'now') AS INTEGER) * 1000, 0
            FROM apps;

        INSERT INTO version_srcs (version_id, src_id)
            SELECT v.id, s.id FROM srcs s JOIN versions v ON v.app_id = s.app_id;
        """,

        // 3: when a Set first listed each key, for "never called in N days". Keys stored before this version
        // count from their first call, or from the upgrade when they were never called.
        """
        ALTER TABLE srcs ADD COLUMN tracked_since INTEGER NULL;

        UPDATE srcs SET tracked_since = coalesce(
            (SELECT first_seen FROM heat WHERE heat.src_id = srcs.id),
            CAST(strftime('%s', 'now') AS INTEGER) * 1000);
        """,

        // 4: the entry-point label of a src (Src.label), empty for the others.
        """
        ALTER TABLE srcs ADD COLUMN label TEXT NOT NULL DEFAULT '';
        """,
    ];
}
