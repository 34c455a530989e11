extern alias server;

using Coldmod.Protocol;
using server::Coldmod.Server.Model;
using Coldmod.Server.Tests.Infrastructure;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using static Coldmod.Server.Tests.Infrastructure.Wire;

namespace Coldmod.Server.Tests;

// The version semantics, proved on every store (SqliteVersionTests, RedisVersionTests).
public abstract class VersionTests(ITestOutputHelper output) : InProcessServerTest(output)
{
    private const string App = "shop";
    private const string Kept = "Shop.Orders.Kept";
    private const string Removed = "Shop.Orders.RemovedInV2";
    private const string AddedInV2 = "Shop.Orders.AddedInV2";

    private readonly TestClock _clock = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    protected override ServerSettings Settings => new() { Store = Store, Clock = _clock, VersionRetention = "14d" };

    public static TheoryData<bool> Orders => new() { false, true };

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task Two_builds_started_in_turn_lose_no_count_and_the_build_first_seen_last_is_current(bool newBuildFirst)
    {
        var v1 = Versioned(Set(App, Kept, Removed), "v1");
        var v2 = Versioned(Set(App, Kept, AddedInV2), "v2");
        var (first, second) = newBuildFirst ? (v2, v1) : (v1, v2);
        var expected = new Dictionary<string, ulong> { [Kept] = 0, [Removed] = 0, [AddedInV2] = 0 };
        var sequences = new Dictionary<string, ulong>();

        async Task Hit(string process, string version, params string[] keys)
        {
            var sequence = sequences[process] = sequences.GetValueOrDefault(process) + 1;
            var batch = Batch(App, process, sequence, [.. keys.Select(k => (k, 3UL))]);
            batch.Version = version;
            var ack = Assert.Single(await CollectAsync(Traces, [batch]));
            Assert.True(ack.Applied);
            foreach (var key in keys)
            {
                expected[key] += 3;
            }
        }

        string[] KeysOf(SetRequest set) => [.. set.Srcs.Select(s => s.Key)];

        await Traces.SetAsync(first, deadline: Deadline);
        await Hit("a1", first.Version, KeysOf(first));
        await Traces.SetAsync(second, deadline: Deadline);
        // The first build's process keeps running and counting after the second build started, and the other way round.
        await Hit("a1", first.Version, KeysOf(first));
        await Hit("b1", second.Version, KeysOf(second));
        Assert.True((await Traces.SetAsync(VersionOnly(first), deadline: Deadline)) is { VersionUnknown: false, Current: false });
        await Hit("a2", first.Version, KeysOf(first));
        await Hit("b1", second.Version, KeysOf(second));
        Assert.True((await Traces.SetAsync(VersionOnly(second), deadline: Deadline)) is { VersionUnknown: false, Current: true });
        await Hit("b2", second.Version, KeysOf(second));
        await Hit("a1", first.Version, KeysOf(first));

        var view = await Traces.FetchAsync(new FetchRequest { App = App, All = true }, deadline: Deadline);
        var counted = view.Srcs.Concat(view.OlderSrcs).ToDictionary(s => s.Key, s => s.Count);
        Assert.Equal(expected, counted);
        Assert.Equal(second.Version, view.Version);
        Assert.Equal(KeysOf(second).Order(StringComparer.Ordinal), view.Srcs.Select(s => s.Key));
        Assert.Equal(KeysOf(first).Except(KeysOf(second)), view.OlderSrcs.Select(s => s.Key));
        var status = await Ops.StatusAsync(new StatusRequest { App = App }, deadline: Deadline);
        Assert.Equal((0UL, 2UL, 1UL, 2UL), (status.UnknownKeyHits, status.Srcs, status.OlderSrcs, status.Versions));
        Assert.Equal(expected.Values.Aggregate(0UL, (a, b) => a + b), status.HitsTotal);
    }

    [Fact]
    public async Task A_process_of_a_known_build_sends_only_the_version_and_an_unknown_one_is_asked_for_its_srcs()
    {
        var unknown = await Traces.SetAsync(VersionOnly(Versioned(Set(App, Kept), "v1")), deadline: Deadline);
        Assert.True(unknown.VersionUnknown);
        await Assert.ThrowsAsync<RpcException>(async () => await Traces.FetchAsync(new FetchRequest { App = App }, deadline: Deadline));

        await Traces.SetAsync(Versioned(Set(App, Kept, Removed), "v1", "commit abc"), deadline: Deadline);
        var known = await Traces.SetAsync(VersionOnly(Versioned(Set(App), "v1", "commit abd")), deadline: Deadline);

        Assert.Equal((false, 2UL, true), (known.VersionUnknown, known.Kept, known.Current));
        var version = Assert.Single((await Ops.VersionsAsync(new VersionsRequest { App = App }, deadline: Deadline)).Versions);
        Assert.Equal(("v1", "commit abd", 2UL, 2UL, true), (version.Id, version.Label, version.Processes, version.Srcs, version.Current));
    }

    [Fact]
    public async Task A_Set_without_a_version_gets_one_derived_from_its_srcs()
    {
        var first = await Traces.SetAsync(Set(App, Kept, Removed), deadline: Deadline);
        var reordered = new SetRequest { App = App };
        reordered.Srcs.AddRange(Set(App, Kept, Removed).Srcs.Reverse());
        var again = await Traces.SetAsync(reordered, deadline: Deadline);
        var other = await Traces.SetAsync(Set(App, Kept), deadline: Deadline);

        Assert.Equal(32, first.Version.Length);
        Assert.Equal(first.Version, again.Version);
        Assert.NotEqual(first.Version, other.Version);
        Assert.Equal(2, (await Ops.VersionsAsync(new VersionsRequest { App = App }, deadline: Deadline)).Versions.Count);
    }

    [Fact]
    public async Task A_version_silent_past_the_retention_is_dropped_with_the_keys_only_it_had_and_its_batches_are_refused()
    {
        await Traces.SetAsync(Versioned(Set(App, Kept, Removed), "v1"), deadline: Deadline);
        await CollectAsync(Traces, [WithVersion(Batch(App, "old", 1, (Kept, 2), (Removed, 5)), "v1")]);
        _clock.Advance(TimeSpan.FromDays(10));
        await Traces.SetAsync(Versioned(Set(App, Kept, AddedInV2), "v2"), deadline: Deadline);
        _clock.Advance(TimeSpan.FromDays(10));
        // v1 was last seen 20 days ago, but a batch naming it (a process still running) keeps it.
        await CollectAsync(Traces, [WithVersion(Batch(App, "old", 2, (Removed, 1)), "v1")]);
        _clock.Advance(TimeSpan.FromDays(10));
        await Traces.SetAsync(VersionOnly(Versioned(Set(App), "v2")), deadline: Deadline);
        Assert.Equal(["v1", "v2"], (await Ops.VersionsAsync(new VersionsRequest { App = App }, deadline: Deadline)).Versions.Select(v => v.Id));

        _clock.Advance(TimeSpan.FromDays(5));
        await Traces.SetAsync(VersionOnly(Versioned(Set(App), "v2")), deadline: Deadline);

        var versions = await Ops.VersionsAsync(new VersionsRequest { App = App }, deadline: Deadline);
        Assert.Equal(["v2"], versions.Versions.Select(v => v.Id));
        Assert.Equal((ulong)TimeSpan.FromDays(14).TotalSeconds, versions.RetentionSeconds);
        var view = await Traces.FetchAsync(new FetchRequest { App = App, All = true }, deadline: Deadline);
        Assert.Empty(view.OlderSrcs);
        Assert.Equal(new Dictionary<string, ulong> { [Kept] = 2, [AddedInV2] = 0 }, view.Srcs.ToDictionary(s => s.Key, s => s.Count));

        var refused = await Assert.ThrowsAsync<RpcException>(() => CollectAsync(Traces, [WithVersion(Batch(App, "old", 3, (Removed, 1)), "v1")]));
        Assert.Equal(StatusCode.NotFound, refused.StatusCode);
        Assert.Contains("no version 'v1'", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_current_version_is_not_dropped_by_retention_however_long_it_is_silent()
    {
        await Traces.SetAsync(Versioned(Set(App, Kept), "v1"), deadline: Deadline);
        _clock.Advance(TimeSpan.FromDays(100));
        await Traces.SetAsync(VersionOnly(Versioned(Set(App), "v1")), deadline: Deadline);

        Assert.Equal(["v1"], (await Ops.VersionsAsync(new VersionsRequest { App = App }, deadline: Deadline)).Versions.Select(v => v.Id));
    }

    [Fact]
    public async Task Dropping_the_current_version_makes_the_newest_remaining_one_current_and_deletes_only_its_own_keys()
    {
        await Traces.SetAsync(Versioned(Set(App, Kept, Removed), "v1"), deadline: Deadline);
        await Traces.SetAsync(Versioned(Set(App, Kept, AddedInV2), "v2"), deadline: Deadline);
        await CollectAsync(Traces, [Batch(App, "p", 1, (Kept, 4), (AddedInV2, 1))]);

        var dropped = await Ops.DropVersionAsync(new DropVersionRequest { App = App, Version = "v2" }, deadline: Deadline);

        Assert.Equal((1UL, true, "v1"), (dropped.Srcs, dropped.WasCurrent, dropped.Current));
        Assert.Equal(new Dictionary<string, ulong> { [Kept] = 4, [Removed] = 0 }, await CountsAsync(Traces, App));
        var missing = await Assert.ThrowsAsync<RpcException>(async () =>
            await Ops.DropVersionAsync(new DropVersionRequest { App = App, Version = "v2" }, deadline: Deadline));
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Estimated_parts_and_their_variances_add_up_per_key_and_come_back_as_a_standard_error()
    {
        await Traces.SetAsync(Set(App, Kept, Removed), deadline: Deadline);
        var first = Batch(App, "p", 1, (Kept, 1000));
        first.Hits[0].Estimated = 900;
        first.Hits[0].EstimateVariance = 100;
        var second = Batch(App, "q", 1, (Kept, 500), (Removed, 3));
        second.Hits[0].Estimated = 400;
        second.Hits[0].EstimateVariance = 125;
        await CollectAsync(Traces, [first]);
        await CollectAsync(Traces, [second]);

        var heat = await FetchAllAsync(Traces, App);

        Assert.Equal((1500UL, 1300UL, 15.0), (heat[Kept].Count, heat[Kept].Estimated, heat[Kept].EstimateError));
        Assert.Equal((3UL, 0UL, 0.0), (heat[Removed].Count, heat[Removed].Estimated, heat[Removed].EstimateError));
        await Ops.ResetHeatmapAsync(new ResetRequest { App = App }, deadline: Deadline);
        Assert.Equal((0UL, 0UL, 0.0), ((await FetchAllAsync(Traces, App))[Kept] is var reset ? (reset.Count, reset.Estimated, reset.EstimateError) : default));
    }

    [Fact]
    public async Task An_estimated_part_larger_than_its_count_is_refused()
    {
        await Traces.SetAsync(Set(App, Kept), deadline: Deadline);
        var batch = Batch(App, "p", 1, (Kept, 10));
        batch.Hits[0].Estimated = 11;

        var refused = await Assert.ThrowsAsync<RpcException>(() => CollectAsync(Traces, [batch]));

        Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
        Assert.Contains("hits[0].estimated", refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_web_view_shows_the_current_versions_srcs_and_totals_and_puts_the_keys_only_older_versions_have_apart_live()
    {
        async Task Hit(string process, ulong sequence, string version, params (string Key, ulong Count)[] hits)
        {
            var batch = Batch(App, process, sequence, hits);
            batch.Version = version;
            Assert.True(Assert.Single(await CollectAsync(Traces, [batch])).Applied);
        }

        await Traces.SetAsync(Versioned(Set(App, Removed, Kept), "v1"), deadline: Deadline);
        await Hit("a1", 1, "v1", (Removed, 4), (Kept, 2));
        await Traces.SetAsync(Versioned(Set(App, Kept, AddedInV2), "v2"), deadline: Deadline);
        var view = Server.App.Services.GetRequiredService<IHeatmapView>();

        var snapshot = view.Snapshot(App)!;
        Assert.Equal([(AddedInV2, 0L), (Kept, 2L)], snapshot.Entries.Select(e => (e.Key, e.Count)));
        Assert.Equal([(Removed, 4L)], snapshot.Older.Select(e => (e.Key, e.Count)));
        Assert.Equal(1, snapshot.Scale.Called);
        Assert.Equal(1, snapshot.BandCounts[Band.Cold]);
        await Until(() => view.Apps.SingleOrDefault(a => a.Name == App) is { Srcs: 2, Cold: 1, Hits: 6 });

        // Both builds keep counting: the older-only key's count moves in its own list, the current ones in the view.
        await Hit("a1", 2, "v1", (Removed, 3));
        await Hit("b1", 1, "v2", (AddedInV2, 1));
        await Until(() => view.Snapshot(App) is { } s && s.Older.Single().Count == 7 && s.Entries[0].Count == 1);
        snapshot = view.Snapshot(App)!;
        Assert.Equal([AddedInV2, Kept], snapshot.Entries.Select(e => e.Key));
        Assert.Equal(2, snapshot.Scale.Called);
        await Until(() => view.Apps.SingleOrDefault(a => a.Name == App) is { Srcs: 2, Cold: 0, Hits: 10 });
    }

    // The view refreshes on its own loop, a few times a second.
    private static async Task Until(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition(), "the web view did not show the change within 10 s");
    }

    private static SetRequest Versioned(SetRequest request, string version, string label = "")
    {
        request.Version = version;
        request.Label = label;
        return request;
    }

    private static SetRequest VersionOnly(SetRequest request)
    {
        var only = new SetRequest { App = request.App, Version = request.Version, Label = request.Label, VersionOnly = true };
        return only;
    }

    private static Batch WithVersion(Batch batch, string version)
    {
        batch.Version = version;
        return batch;
    }
}
