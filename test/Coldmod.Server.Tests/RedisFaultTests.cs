using Coldmod.Protocol;
using Coldmod.Server.Tests.Infrastructure;
using Grpc.Core;
using static Coldmod.Server.Tests.Infrastructure.Wire;

namespace Coldmod.Server.Tests;

// Real server processes on a real redis-server, killed mid-stream; every count is checked key by key at the end.
public sealed class RedisFaultTests(RedisServer redis) : IClassFixture<RedisServer>, IAsyncLifetime
{
    private const string App = "shop";
    private const int Senders = 6;
    private const int BatchesPerSender = 40;
    private const int BatchesPerCall = 5;
    private static readonly string[] s_keys = ["Shop.A", "Shop.B", "Shop.C", "Shop.D"];
    private static readonly TimeSpan s_budget = TimeSpan.FromSeconds(90);

    public Task InitializeAsync() => redis.FlushAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Two_instances_make_one_heatmap_and_senders_of_a_SIGKILLed_one_fail_over_losing_and_doubling_nothing()
    {
        await using var first = await ServerProcess.StartAsync(redis.Url);
        await using var second = await ServerProcess.StartAsync(redis.Url);
        await first.Traces.SetAsync(Set(App, s_keys), deadline: Deadline);
        var hosts = new[] { first.Traces, second.Traces };
        // Every sender stops halfway (its stream on the first instance still open) until the first instance is killed.
        var parked = new int[Senders];
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var senders = Enumerable.Range(0, Senders)
            .Select(i => Task.Run(() => SendAsync($"p{i}", attempt => hosts[(i + attempt) % 2], ParkAt(BatchesPerSender / 2, parked, i, killed.Task))))
            .ToList();

        await WaitForAsync(() => parked.Sum() == Senders);
        first.Kill();
        killed.SetResult();
        var failures = await Task.WhenAll(senders);

        Assert.Equal(Expected(), await CountsAsync(second.Traces, App));
        var status = await second.Ops.StatusAsync(new StatusRequest { App = App }, deadline: Deadline);
        Assert.Equal((ulong)(Senders * BatchesPerSender), status.BatchesApplied);
        Assert.Equal(Expected().Values.Aggregate(0UL, (a, b) => a + b), status.HitsTotal);
        // The senders that were on the killed instance failed over.
        Assert.True(failures.Sum() > 0);
    }

    [Fact]
    public async Task Redis_SIGKILLed_and_restarted_mid_stream_loses_and_doubles_nothing_and_the_server_answers_unavailable_meanwhile()
    {
        await using var server = await ServerProcess.StartAsync(redis.Url);
        await server.Traces.SetAsync(Set(App, s_keys), deadline: Deadline);
        // Every sender waits a third of the way in (its call still open) until Redis is killed, so each of them meets
        // the outage however fast the machine is.
        var parked = new int[Senders];
        var killed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var senders = Enumerable.Range(0, Senders)
            .Select(i => Task.Run(() => SendAsync($"p{i}", _ => server.Traces, ParkAt(BatchesPerSender / 3, parked, i, killed.Task))))
            .ToList();

        await WaitForAsync(() => parked.Sum() == Senders);
        redis.Kill();
        killed.SetResult();
        var down = await Assert.ThrowsAsync<RpcException>(async () => await CollectAsync(server.Traces, [Batch(App, "probe", 1, (s_keys[0], 1))]));
        Assert.Equal(StatusCode.Unavailable, down.StatusCode);
        await Task.Delay(500);
        await redis.RestartAsync();
        await Task.WhenAll(senders);

        // Not vacuous: every sender was mid-stream through the outage (parked above), and the server said UNAVAILABLE
        // during it. Whether a sender's own call then failed or waited for Redis to come back depends on the Redis
        // client's reconnect timing; either way the counts must come out exact.
        Assert.Equal(Expected(), await CountsAsync(server.Traces, App));
        var status = await server.Ops.StatusAsync(new StatusRequest { App = App }, deadline: Deadline);
        Assert.Equal((ulong)(Senders * BatchesPerSender), status.BatchesApplied);
    }

    // An ack callback that holds sender i (its call still open) once `batch` batches are acknowledged, until release.
    private static Func<int, Task> ParkAt(int batch, int[] parked, int i, Task release) => acked =>
    {
        if (acked != batch)
        {
            return Task.CompletedTask;
        }

        parked[i] = 1;
        return release;
    };

    // Batch s of every sender counts s calls of key s % 4.
    private static Dictionary<string, ulong> Expected()
    {
        var expected = s_keys.ToDictionary(k => k, _ => 0UL);
        for (var s = 1; s <= BatchesPerSender; s++)
        {
            expected[s_keys[s % s_keys.Length]] += (ulong)(s * Senders);
        }

        return expected;
    }

    // A sender as the runtime behaves: batches in order, re-sending from the first unacknowledged one after any
    // failure (on the next host). Returns the number of failed calls.
    private static async Task<int> SendAsync(string process, Func<int, Traces.TracesClient> host, Func<int, Task> acked)
    {
        var batches = Enumerable.Range(1, BatchesPerSender)
            .Select(s => Batch(App, process, (ulong)s, (s_keys[s % s_keys.Length], (ulong)s)))
            .ToList();
        var next = 0;
        var failures = 0;
        var stop = DateTime.UtcNow + s_budget;
        while (next < batches.Count)
        {
            Assert.True(DateTime.UtcNow < stop, $"{process} still had {batches.Count - next} batches unacknowledged");
            try
            {
                using var call = host(failures).Collect(deadline: DateTime.UtcNow.AddSeconds(10));
                foreach (var batch in batches.Skip(next).Take(BatchesPerCall))
                {
                    await call.RequestStream.WriteAsync(batch);
                }

                await call.RequestStream.CompleteAsync();
                await foreach (var ack in call.ResponseStream.ReadAllAsync())
                {
                    if (ack.Sequence == batches[next].Sequence)
                    {
                        next++;
                        await acked(next);
                    }
                }
            }
            catch (Exception e) when (e is RpcException or IOException or InvalidOperationException)
            {
                failures++;
                await Task.Delay(100);
            }
        }

        return failures;
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
