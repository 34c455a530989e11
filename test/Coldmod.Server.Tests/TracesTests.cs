using Coldmod.Protocol;
using Grpc.Core;
using Xunit.Abstractions;
using static Coldmod.Server.Tests.Infrastructure.Wire;

namespace Coldmod.Server.Tests;

// Set, Collect (dedupe per process, first/last seen) and Fetch, proved on every store (SqliteTracesTests, RedisTracesTests).
public abstract class TracesTests(ITestOutputHelper output) : InProcessServerTest(output)
{
    private const string Cancel = "Shop.Orders.OrderService.Cancel(System.Int32)";
    private const string Place = "Shop.Orders.OrderService.Place(Shop.Orders.Order)";
    private const string Ctor = "Shop.Orders.OrderService.#ctor";
    private const string Get = "Shop.Cache`1.Get``1(``0,`0)";

    [Fact]
    public async Task Set_Collect_and_Fetch_round_trip_with_exact_counts()
    {
        var set = await Traces.SetAsync(Set("shop", Cancel, Place, Ctor, Get), deadline: Deadline);
        Assert.Equal((4UL, 0UL, 0UL), (set.Added, set.Removed, set.Kept));

        var acks = await CollectAsync(Traces,
        [
            Batch("shop", "p1", 1, (Place, 2), (Ctor, 1)),
            Batch("shop", "p1", 2, (Place, 3), (Place, 1), (Get, 7)),
        ]);

        Assert.Equal([(1UL, true), (2UL, true)], acks.Select(a => (a.Sequence, a.Applied)));
        Assert.All(acks, a => Assert.Equal("p1", a.ProcessId));
        var heatmap = await FetchAllAsync(Traces, "shop");
        Assert.Equal(new Dictionary<string, ulong> { [Cancel] = 0, [Place] = 6, [Ctor] = 1, [Get] = 7 }, heatmap.ToDictionary(p => p.Key, p => p.Value.Count));

        var place = heatmap[Place];
        Assert.Equal(("src/Shop/Orders.cs", 20U), (place.File, place.Line));
        Assert.NotNull(place.FirstSeen);
        Assert.True(place.FirstSeen.ToDateTimeOffset() <= place.LastSeen.ToDateTimeOffset());
        Assert.InRange(place.LastSeen.ToDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
        Assert.Null(heatmap[Cancel].FirstSeen);
        Assert.Null(heatmap[Cancel].LastSeen);
    }

    [Fact]
    public async Task Fetch_returns_only_cold_srcs_unless_all_is_set()
    {
        await Traces.SetAsync(Set("shop", Cancel, Place, Ctor), deadline: Deadline);
        await CollectAsync(Traces, [Batch("shop", "p1", 1, (Place, 1))]);

        var cold = await Traces.FetchAsync(new FetchRequest { App = "shop" }, deadline: Deadline);
        var all = await Traces.FetchAsync(new FetchRequest { App = "shop", All = true }, deadline: Deadline);

        Assert.Equal([Ctor, Cancel], cold.Srcs.Select(s => s.Key));
        Assert.Equal([Ctor, Cancel, Place], all.Srcs.Select(s => s.Key));
    }

    [Fact]
    public async Task Set_of_a_new_build_adds_keys_at_zero_keeps_counts_and_lists_gone_keys_apart_with_their_counts()
    {
        await Traces.SetAsync(Set("shop", Cancel, Place, Ctor), deadline: Deadline);
        await CollectAsync(Traces, [Batch("shop", "p1", 1, (Cancel, 4), (Place, 5), (Ctor, 6))]);

        var moved = new SetRequest { App = "shop" };
        moved.Srcs.Add(new Src { Key = Place, File = "src/Shop/Moved.cs", Line = 7 });
        moved.Srcs.Add(new Src { Key = Ctor, File = "src/Shop/Orders.cs", Line = 30 });
        moved.Srcs.Add(new Src { Key = Get, File = "src/Shop/Cache.cs", Line = 3 });
        var reply = await Traces.SetAsync(moved, deadline: Deadline);

        Assert.Equal((1UL, 1UL, 2UL, true), (reply.Added, reply.Removed, reply.Kept, reply.Current));
        var heatmap = await FetchAllAsync(Traces, "shop");
        Assert.Equal([Get, Ctor, Place], heatmap.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((5UL, "src/Shop/Moved.cs", 7U), (heatmap[Place].Count, heatmap[Place].File, heatmap[Place].Line));
        Assert.Equal(6UL, heatmap[Ctor].Count);
        Assert.Equal(0UL, heatmap[Get].Count);
        var fetched = await Traces.FetchAsync(new FetchRequest { App = "shop", All = true }, deadline: Deadline);
        var older = Assert.Single(fetched.OlderSrcs);
        Assert.Equal((Cancel, 4UL), (older.Key, older.Count));

        // A key that comes back in a later build still has the count the older build gave it.
        await Traces.SetAsync(Set("shop", Cancel, Place), deadline: Deadline);
        Assert.Equal(new Dictionary<string, ulong> { [Cancel] = 4, [Place] = 5 }, await CountsAsync(Traces, "shop"));
    }

    [Fact]
    public async Task Tracked_since_is_when_a_Set_first_listed_the_key_and_later_Sets_that_list_it_keep_it()
    {
        await Traces.SetAsync(Set("shop", Cancel, Place), deadline: Deadline);
        var first = (await FetchAllAsync(Traces, "shop"))[Cancel].TrackedSince.ToDateTimeOffset();
        await Task.Delay(20);
        await Traces.SetAsync(Set("shop", Cancel, Ctor), deadline: Deadline);
        await Traces.SetAsync(Set("shop", Cancel, Ctor, Place), deadline: Deadline);

        var heatmap = await FetchAllAsync(Traces, "shop");
        Assert.Equal(first, heatmap[Cancel].TrackedSince.ToDateTimeOffset());
        Assert.InRange(first, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
        Assert.True(heatmap[Ctor].TrackedSince.ToDateTimeOffset() > first);
        // Place left the newest build's set and came back, but the first build still had it: it was never dropped.
        Assert.Equal(first, heatmap[Place].TrackedSince.ToDateTimeOffset());
    }

    [Fact]
    public async Task An_entry_point_label_given_to_Set_comes_back_from_Fetch_and_follows_a_later_Set()
    {
        const string Endpoint = "Todos.TodoApi.MapTodos(Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)=>1";
        var request = Set("todos", Cancel);
        request.Srcs.Add(new Src { Key = Endpoint, File = "Todos/TodoApi.cs", Line = 29, Label = "GET /todos/{id}" });
        await Traces.SetAsync(request, deadline: Deadline);
        await CollectAsync(Traces, [Batch("todos", "p1", 1, (Endpoint, 3))]);

        var heatmap = await FetchAllAsync(Traces, "todos");
        Assert.Equal(("GET /todos/{id}", 3UL), (heatmap[Endpoint].Label, heatmap[Endpoint].Count));
        Assert.Equal("", heatmap[Cancel].Label);

        // The route changed in the next build: the label follows, the count stays.
        var renamed = Set("todos", Cancel);
        renamed.Srcs.Add(new Src { Key = Endpoint, File = "Todos/TodoApi.cs", Line = 29, Label = "GET /items/{id}" });
        await Traces.SetAsync(renamed, deadline: Deadline);
        heatmap = await FetchAllAsync(Traces, "todos");
        Assert.Equal(("GET /items/{id}", 3UL), (heatmap[Endpoint].Label, heatmap[Endpoint].Count));
    }

    [Fact]
    public async Task A_key_listed_twice_in_Set_is_kept_once_with_its_first_location()
    {
        var request = Set("shop", Cancel);
        request.Srcs.Add(new Src { Key = Cancel, File = "src/Other.cs", Line = 99 });

        var reply = await Traces.SetAsync(request, deadline: Deadline);

        Assert.Equal(1UL, reply.Added);
        var src = Assert.Single((await FetchAllAsync(Traces, "shop")).Values);
        Assert.Equal(("src/Shop/Orders.cs", 10U), (src.File, src.Line));
    }

    [Fact]
    public async Task A_batch_already_applied_is_acknowledged_as_not_applied_and_not_counted_twice()
    {
        await Traces.SetAsync(Set("shop", Cancel, Place), deadline: Deadline);
        var first = await CollectAsync(Traces,
        [
            Batch("shop", "p1", 1, (Cancel, 1)),
            Batch("shop", "p1", 2, (Place, 10)),
            Batch("shop", "p1", 2, (Place, 10)),
        ]);

        // A reconnecting sender re-sends what it has no ack for; the server already applied it.
        var retried = await CollectAsync(Traces,
        [
            Batch("shop", "p1", 1, (Cancel, 1)),
            Batch("shop", "p1", 2, (Place, 10)),
            Batch("shop", "p1", 3, (Place, 100)),
            Batch("shop", "p2", 1, (Cancel, 1000)),
        ]);

        Assert.Equal([true, true, false], first.Select(a => a.Applied));
        Assert.Equal([("p1", 1UL, false), ("p1", 2UL, false), ("p1", 3UL, true), ("p2", 1UL, true)], retried.Select(a => (a.ProcessId, a.Sequence, a.Applied)));
        Assert.Equal(new Dictionary<string, ulong> { [Cancel] = 1001, [Place] = 110 }, await CountsAsync(Traces, "shop"));
        var status = await Ops.StatusAsync(new StatusRequest { App = "shop" }, deadline: Deadline);
        Assert.Equal((4UL, 3UL, 1111UL), (status.BatchesApplied, status.DuplicateBatches, status.HitsTotal));
    }

    [Fact]
    public async Task Sequences_may_skip_numbers_and_the_memory_of_one_app_does_not_affect_another()
    {
        await Traces.SetAsync(Set("shop", Cancel), deadline: Deadline);
        await Traces.SetAsync(Set("billing", Cancel), deadline: Deadline);

        var acks = await CollectAsync(Traces,
        [
            Batch("shop", "p1", 5, (Cancel, 1)),
            Batch("shop", "p1", 9, (Cancel, 1)),
            Batch("shop", "p1", 7, (Cancel, 1)),
            Batch("billing", "p1", 1, (Cancel, 1)),
        ]);

        Assert.Equal([true, true, false, true], acks.Select(a => a.Applied));
        Assert.Equal(2UL, (await CountsAsync(Traces, "shop"))[Cancel]);
        Assert.Equal(1UL, (await CountsAsync(Traces, "billing"))[Cancel]);
    }

    [Fact]
    public async Task Hits_for_unknown_keys_are_ignored_and_counted_and_zero_counts_are_ignored()
    {
        await Traces.SetAsync(Set("shop", Cancel, Place), deadline: Deadline);

        var acks = await CollectAsync(Traces,
        [
            Batch("shop", "p1", 1, (Cancel, 3), ("Shop.Gone.Method", 4), (Place, 0)),
            Batch("shop", "p1", 2, ("Shop.Other.Method(System.String)", 5)),
        ]);

        Assert.All(acks, a => Assert.True(a.Applied));
        var heatmap = await FetchAllAsync(Traces, "shop");
        Assert.Equal([Cancel, Place], heatmap.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((3UL, 0UL), (heatmap[Cancel].Count, heatmap[Place].Count));
        Assert.Null(heatmap[Place].FirstSeen);
        var status = await Ops.StatusAsync(new StatusRequest { App = "shop" }, deadline: Deadline);
        Assert.Equal((9UL, 3UL, 2UL), (status.UnknownKeyHits, status.HitsTotal, status.BatchesApplied));
    }

    [Fact]
    public async Task Collect_for_an_app_that_never_called_Set_is_NotFound_after_acking_earlier_batches()
    {
        await Traces.SetAsync(Set("shop", Cancel), deadline: Deadline);
        using var call = Traces.Collect(deadline: Deadline);
        await call.RequestStream.WriteAsync(Batch("shop", "p1", 1, (Cancel, 1)));
        await call.RequestStream.WriteAsync(Batch("ghost", "p1", 1, (Cancel, 1)));
        await call.RequestStream.WriteAsync(Batch("shop", "p1", 2, (Cancel, 10)));
        var acks = new List<Ack>();

        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var ack in call.ResponseStream.ReadAllAsync())
            {
                acks.Add(ack);
            }
        });

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("app 'ghost' has no srcs; the app must call Set first", error.Status.Detail);
        Assert.Equal([1UL], acks.Select(a => a.Sequence));
        // The batch after the failed one was not applied, so its re-send is not mistaken for a duplicate.
        Assert.Equal(1UL, (await CountsAsync(Traces, "shop"))[Cancel]);
        var resent = await CollectAsync(Traces, [Batch("shop", "p1", 2, (Cancel, 10))]);
        Assert.True(Assert.Single(resent).Applied);
        Assert.Equal(11UL, (await CountsAsync(Traces, "shop"))[Cancel]);
    }

    [Fact]
    public async Task Fetch_for_an_unknown_app_is_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Traces.FetchAsync(new FetchRequest { App = "ghost" }, deadline: Deadline).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Contains("app 'ghost' has no srcs", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_app_that_set_no_srcs_is_known_and_counts_every_hit_as_unknown()
    {
        await Traces.SetAsync(Set("empty"), deadline: Deadline);

        var acks = await CollectAsync(Traces, [Batch("empty", "p1", 1, (Cancel, 2))]);

        Assert.True(Assert.Single(acks).Applied);
        Assert.Empty((await Traces.FetchAsync(new FetchRequest { App = "empty", All = true }, deadline: Deadline)).Srcs);
        Assert.Equal(2UL, (await Ops.StatusAsync(new StatusRequest { App = "empty" }, deadline: Deadline)).UnknownKeyHits);
    }

    [Fact]
    public async Task Batches_pipelined_on_several_streams_are_all_acknowledged_in_order_and_counted()
    {
        string[] keys = [.. Enumerable.Range(0, 20).Select(i => $"Shop.Generated.M{i}")];
        await Traces.SetAsync(Set("shop", keys), deadline: Deadline);

        var streams = Enumerable.Range(0, 3).Select(stream => CollectAsync(Traces,
            Enumerable.Range(1, 400).Select(sequence => Batch("shop", $"p{stream}", (ulong)sequence, (keys[sequence % keys.Length], 1), (keys[0], 2)))));
        var acks = await Task.WhenAll(streams);

        Assert.All(acks, a => Assert.Equal(Enumerable.Range(1, 400).Select(s => (ulong)s), a.Select(ack => ack.Sequence)));
        var counts = await CountsAsync(Traces, "shop");
        Assert.Equal(3UL * (400 * 2 + 20), counts[keys[0]]);
        Assert.Equal(3UL * 20, counts[keys[1]]);
        Assert.Equal(3UL * (400 * 3), counts.Values.Aggregate(0UL, (a, b) => a + b));
    }
}
