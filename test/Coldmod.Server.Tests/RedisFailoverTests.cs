using Coldmod.Protocol;
using Coldmod.Server.Tests.Infrastructure;
using Grpc.Core;
using Xunit.Abstractions;
using static Coldmod.Server.Tests.Infrastructure.Wire;

namespace Coldmod.Server.Tests;

// COLDMOD_STORE with a host list: a real primary and its real replica. When the primary dies and the replica is
// promoted, the server follows it: counts the primary had replicated survive, the per-process dedupe with them,
// and new batches are applied on the new primary.
public sealed class RedisFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(60);

    private readonly RedisServer _primary = new();
    private RedisServer _replica = default!;

    public async Task InitializeAsync()
    {
        await _primary.InitializeAsync();
        _replica = new RedisServer { ReplicaOf = _primary.Port };
        await _replica.InitializeAsync();
        await _replica.WaitForSyncAsync();
    }

    public async Task DisposeAsync()
    {
        await _replica.DisposeAsync();
        await _primary.DisposeAsync();
    }

    [Fact]
    public async Task When_the_primary_dies_and_its_replica_is_promoted_the_server_carries_on_with_nothing_lost_or_doubled()
    {
        var settings = new ServerSettings { Store = $"redis://127.0.0.1:{_primary.Port},127.0.0.1:{_replica.Port}/0" };
        await using var server = await ServerHost.StartInProcessAsync(settings, output);
        await server.Traces.SetAsync(Set("shop", "A", "B"), deadline: Deadline);
        Assert.True((await CollectAsync(server.Traces, [Batch("shop", "p1", 1, ("A", 3))])).Single().Applied);
        Assert.Equal(1, await _primary.WaitForReplicasAsync(1, TimeSpan.FromSeconds(10)));

        _primary.Kill();
        await _replica.PromoteAsync();

        // The sender re-sends batch 1 (its ack was lost, say) with batch 2 until the server answers again.
        List<Ack>? acks = null;
        var stop = DateTime.UtcNow + s_budget;
        while (acks is null)
        {
            Assert.True(DateTime.UtcNow < stop, "the server never wrote to the promoted replica");
            try
            {
                acks = await CollectAsync(server.Traces, [Batch("shop", "p1", 1, ("A", 3)), Batch("shop", "p1", 2, ("B", 4))]);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable)
            {
                await Task.Delay(200);
            }
        }

        Assert.Equal([false, true], acks.Select(a => a.Applied));
        Assert.Equal(new Dictionary<string, ulong> { ["A"] = 3, ["B"] = 4 }, await CountsAsync(server.Traces, "shop"));
    }
}
