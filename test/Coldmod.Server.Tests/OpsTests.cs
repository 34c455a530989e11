using Coldmod.Protocol;
using Grpc.Core;
using Xunit.Abstractions;
using static Coldmod.Server.Tests.Infrastructure.Wire;

namespace Coldmod.Server.Tests;

// Status and the resets, proved on every store (SqliteOpsTests, RedisOpsTests).
public abstract class OpsTests(ITestOutputHelper output) : InProcessServerTest(output)
{
    [Fact]
    public async Task Status_sums_every_app_or_reports_one()
    {
        await Traces.SetAsync(Set("shop", "A.M", "A.N"), deadline: Deadline);
        await Traces.SetAsync(Set("billing", "B.M"), deadline: Deadline);
        await CollectAsync(Traces, [Batch("shop", "p1", 1, ("A.M", 5), ("X.Y", 1)), Batch("shop", "p1", 1), Batch("billing", "p2", 1, ("B.M", 2))]);

        var all = await Ops.StatusAsync(new StatusRequest(), deadline: Deadline);
        var shop = await Ops.StatusAsync(new StatusRequest { App = "shop" }, deadline: Deadline);

        Assert.Equal(["billing", "shop"], all.Apps);
        Assert.Equal((3UL, 7UL, 1UL, 2UL, 1UL), (all.Srcs, all.HitsTotal, all.UnknownKeyHits, all.BatchesApplied, all.DuplicateBatches));
        Assert.Equal(["shop"], shop.Apps);
        Assert.Equal((2UL, 5UL, 1UL, 1UL, 1UL), (shop.Srcs, shop.HitsTotal, shop.UnknownKeyHits, shop.BatchesApplied, shop.DuplicateBatches));
        Assert.Equal((1UL, 1UL), (all.Cold, shop.Cold));
    }

    [Fact]
    public async Task Status_of_an_unknown_app_is_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Ops.StatusAsync(new StatusRequest { App = "ghost" }, deadline: Deadline).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task ResetHeatmap_zeroes_one_app_and_keeps_its_srcs_and_its_memory_of_applied_batches()
    {
        await Traces.SetAsync(Set("shop", "A.M", "A.N"), deadline: Deadline);
        await Traces.SetAsync(Set("billing", "B.M"), deadline: Deadline);
        await CollectAsync(Traces, [Batch("shop", "p1", 1, ("A.M", 5), ("Z.Z", 1)), Batch("billing", "p2", 1, ("B.M", 2))]);

        var reply = await Ops.ResetHeatmapAsync(new ResetRequest { App = "shop" }, deadline: Deadline);

        Assert.Equal((1UL, 2UL), (reply.Apps, reply.Srcs));
        var shop = await FetchAllAsync(Traces, "shop");
        Assert.All(shop.Values, s => Assert.Equal((0UL, null, null), (s.Count, s.FirstSeen, s.LastSeen)));
        Assert.Equal(2UL, (await CountsAsync(Traces, "billing"))["B.M"]);
        var status = await Ops.StatusAsync(new StatusRequest { App = "shop" }, deadline: Deadline);
        Assert.Equal((2UL, 0UL, 0UL, 0UL), (status.Srcs, status.HitsTotal, status.UnknownKeyHits, status.BatchesApplied));

        var resent = await CollectAsync(Traces, [Batch("shop", "p1", 1, ("A.M", 5)), Batch("shop", "p1", 2, ("A.N", 1))]);
        Assert.Equal([false, true], resent.Select(a => a.Applied));
        Assert.Equal(new Dictionary<string, ulong> { ["A.M"] = 0, ["A.N"] = 1 }, await CountsAsync(Traces, "shop"));
    }

    [Fact]
    public async Task ResetHeatmap_of_an_unknown_app_is_NotFound()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => Ops.ResetHeatmapAsync(new ResetRequest { App = "ghost" }, deadline: Deadline).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task ResetAll_deletes_every_app_and_what_it_remembered()
    {
        await Traces.SetAsync(Set("shop", "A.M", "A.N"), deadline: Deadline);
        await Traces.SetAsync(Set("billing", "B.M"), deadline: Deadline);
        await CollectAsync(Traces, [Batch("shop", "p1", 1, ("A.M", 5))]);

        var reply = await Ops.ResetAllAsync(new ResetRequest(), deadline: Deadline);

        Assert.Equal((2UL, 3UL), (reply.Apps, reply.Srcs));
        var status = await Ops.StatusAsync(new StatusRequest(), deadline: Deadline);
        Assert.Empty(status.Apps);
        Assert.Equal((0UL, 0UL, 0UL), (status.Srcs, status.HitsTotal, status.BatchesApplied));
        var error = await Assert.ThrowsAsync<RpcException>(() => Traces.FetchAsync(new FetchRequest { App = "shop" }, deadline: Deadline).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, error.StatusCode);

        await Traces.SetAsync(Set("shop", "A.M"), deadline: Deadline);
        var acks = await CollectAsync(Traces, [Batch("shop", "p1", 1, ("A.M", 3))]);
        Assert.True(Assert.Single(acks).Applied);
        Assert.Equal(3UL, (await CountsAsync(Traces, "shop"))["A.M"]);
    }

    [Fact]
    public async Task A_Mod_stream_is_registered_while_open_and_ends_when_the_client_completes_it()
    {
        using var call = Traces.Mod(deadline: Deadline);
        await call.RequestStream.WriteAsync(new ModMessage { Hello = new ModHello { App = "shop", Root = "/src/shop" } });

        Assert.Equal(1U, await ModClientsAsync(expected: 1));

        await call.RequestStream.CompleteAsync();
        var commands = await call.ResponseStream.ReadAllAsync().ToListAsync().AsTask().WaitAsync(CallTimeout);
        Assert.Equal(ModCommand.KindOneofCase.Session, Assert.Single(commands).KindCase);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
        Assert.Equal(0U, await ModClientsAsync(expected: 0));
    }

    // Polls (bounded) until Status reports the expected number of connected CLIs, or gives up and returns the last count.
    private async Task<uint> ModClientsAsync(uint expected)
    {
        uint count = 0;
        for (var attempt = 0; attempt < 200; attempt++)
        {
            count = (await Ops.StatusAsync(new StatusRequest(), deadline: Deadline)).ModClients;
            if (count == expected)
            {
                break;
            }

            await Task.Delay(25);
        }

        return count;
    }
}
