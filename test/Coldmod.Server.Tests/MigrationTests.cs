using Coldmod.Protocol;
using Coldmod.Server.Tests.Infrastructure;
using Coldmod.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static Coldmod.Server.Tests.Infrastructure.Wire;

namespace Coldmod.Server.Tests;

public sealed class MigrationTests(ITestOutputHelper output) : IDisposable
{
    // A store as schema version 1 (the first release) wrote it: the released migration never changes, so this does not.
    private const string SchemaVersion1 = """
        CREATE TABLE apps (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, hits_total INTEGER NOT NULL DEFAULT 0,
            unknown_key_hits INTEGER NOT NULL DEFAULT 0, batches_applied INTEGER NOT NULL DEFAULT 0,
            duplicate_batches INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE srcs (id INTEGER PRIMARY KEY, app_id INTEGER NOT NULL, key TEXT NOT NULL, file TEXT NOT NULL,
            line INTEGER NOT NULL, UNIQUE (app_id, key));
        CREATE TABLE heat (src_id INTEGER PRIMARY KEY, count INTEGER NOT NULL DEFAULT 0, first_seen INTEGER NULL, last_seen INTEGER NULL);
        CREATE TRIGGER srcs_insert_heat AFTER INSERT ON srcs BEGIN INSERT INTO heat (src_id) VALUES (new.id); END;
        CREATE TRIGGER srcs_delete_heat AFTER DELETE ON srcs BEGIN DELETE FROM heat WHERE src_id = old.id; END;
        CREATE TABLE applied_batches (app_id INTEGER NOT NULL, process_id TEXT NOT NULL, max_sequence INTEGER NOT NULL,
            applied_at INTEGER NOT NULL, PRIMARY KEY (app_id, process_id)) WITHOUT ROWID;
        CREATE INDEX applied_batches_applied_at ON applied_batches (applied_at);

        INSERT INTO apps (id, name, hits_total, batches_applied) VALUES (1, 'shop', 12, 2), (2, 'admin', 1, 1);
        INSERT INTO srcs (id, app_id, key, file, line) VALUES
            (1, 1, 'Shop.A', 'src/A.cs', 3), (2, 1, 'Shop.B', 'src/B.cs', 4), (3, 2, 'Admin.C', 'src/C.cs', 5);
        UPDATE heat SET count = 7, first_seen = 1700000000000, last_seen = 1700000001000 WHERE src_id = 1;
        UPDATE heat SET count = 5, first_seen = 1700000000000, last_seen = 1700000002000 WHERE src_id = 2;
        UPDATE heat SET count = 1, first_seen = 1700000000000, last_seen = 1700000000000 WHERE src_id = 3;
        INSERT INTO applied_batches VALUES (1, 'p1', 2, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
        PRAGMA user_version = 1;
        PRAGMA application_id = 1131375716;
        """;

    private readonly TempDirectory _directory = new("coldmod-migration");

    [Fact]
    public async Task A_store_of_schema_version_1_is_migrated_with_its_counts_and_each_apps_srcs_become_one_version()
    {
        var path = _directory.Combine("coldmod.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = SchemaVersion1;
            command.ExecuteNonQuery();
        }

        await using var server = await ServerHost.StartInProcessAsync(new ServerSettings { Store = path }, output);

        var shop = await FetchAllAsync(server.Traces, "shop");
        Assert.Equal(new Dictionary<string, ulong> { ["Shop.A"] = 7, ["Shop.B"] = 5 }, shop.ToDictionary(p => p.Key, p => p.Value.Count));
        Assert.Equal(("src/A.cs", 3U, 1700000001000L), (shop["Shop.A"].File, shop["Shop.A"].Line, shop["Shop.A"].LastSeen.ToDateTimeOffset().ToUnixTimeMilliseconds()));
        Assert.Equal(1UL, (await FetchAllAsync(server.Traces, "admin"))["Admin.C"].Count);
        var versions = await server.Ops.VersionsAsync(new VersionsRequest { App = "shop" }, deadline: Deadline);
        var version = Assert.Single(versions.Versions);
        Assert.Equal((2UL, true), (version.Srcs, version.Current));
        var status = await server.Ops.StatusAsync(new StatusRequest { App = "shop" }, deadline: Deadline);
        Assert.Equal((12UL, 2UL, 2UL, 0UL), (status.HitsTotal, status.BatchesApplied, status.Srcs, status.OlderSrcs));

        // The applied-batch memory came along: a batch re-sent from before the upgrade is still a duplicate.
        var ack = Assert.Single(await CollectAsync(server.Traces, [Batch("shop", "p1", 2, ("Shop.A", 1))]));
        Assert.False(ack.Applied);

        // The first build to start after the upgrade becomes current; the old keys stay with their counts.
        await server.Traces.SetAsync(Set("shop", "Shop.A", "Shop.New"), deadline: Deadline);
        var view = await server.Traces.FetchAsync(new FetchRequest { App = "shop", All = true }, deadline: Deadline);
        Assert.Equal([("Shop.A", 7UL), ("Shop.New", 0UL)], view.Srcs.Select(s => (s.Key, s.Count)));
        Assert.Equal([("Shop.B", 5UL)], view.OlderSrcs.Select(s => (s.Key, s.Count)));
    }

    public void Dispose() => _directory.Dispose();
}
