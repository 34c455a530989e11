using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Coldmod.Protocol;
using Coldmod.Server.Tests.Infrastructure;
using Coldmod.TestSupport;
using Grpc.Core;
using Grpc.Net.Client;
using Xunit.Abstractions;
using static Coldmod.Server.Tests.Infrastructure.Wire;

namespace Coldmod.Server.Tests;

// The server on a real Kestrel (insecure, h2c) on free 127.0.0.1 ports, with real gRPC channels.
public sealed class KestrelTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDirectory _directory = new("coldmod-kestrel");

    private ServerSettings Settings => new() { Store = _directory.Combine("coldmod.db") };

    [Fact]
    public async Task Many_batches_from_concurrent_senders_are_all_acknowledged_and_counted_exactly()
    {
        const int Senders = 4;
        const int BatchesPerSender = 1500;
        string[] keys = [.. Enumerable.Range(0, 200).Select(i => $"Shop.Generated.Type{i % 7}.Method{i}(System.Int32)")];
        await using var server = await ServerHost.StartKestrelAsync(Settings, output);
        await server.Traces.SetAsync(Set("shop", keys), deadline: Deadline);

        var senders = Enumerable.Range(0, Senders).Select(sender => Task.Run(() => CollectAsync(server.Traces,
            Enumerable.Range(1, BatchesPerSender).Select(sequence => Batch(
                "shop",
                $"pid-{sender}",
                (ulong)sequence,
                [.. Enumerable.Range(0, 10).Select(h => (keys[(sequence * 10 + h) % keys.Length], (ulong)(h + 1)))])))));
        var acks = await Task.WhenAll(senders);

        Assert.All(acks, sent => Assert.Equal(Enumerable.Range(1, BatchesPerSender).Select(s => ((ulong)s, true)), sent.Select(a => (a.Sequence, a.Applied))));
        var expected = new Dictionary<string, ulong>(keys.Select(k => KeyValuePair.Create(k, 0UL)));
        for (var sequence = 1; sequence <= BatchesPerSender; sequence++)
        {
            for (var h = 0; h < 10; h++)
            {
                expected[keys[(sequence * 10 + h) % keys.Length]] += (ulong)(Senders * (h + 1));
            }
        }

        Assert.Equal(expected, await CountsAsync(server.Traces, "shop"));
        var status = await server.Ops.StatusAsync(new StatusRequest(), deadline: Deadline);
        Assert.Equal((ulong)(Senders * BatchesPerSender), status.BatchesApplied);
    }

    [Fact]
    public async Task The_heatmap_survives_a_restart_on_the_same_store()
    {
        await using (var first = await ServerHost.StartKestrelAsync(Settings, output))
        {
            await first.Traces.SetAsync(Set("shop", "A.M", "A.N"), deadline: Deadline);
            await CollectAsync(first.Traces, [Batch("shop", "p1", 1, ("A.M", 41)), Batch("shop", "p1", 2, ("A.M", 1), ("Gone.Key", 3))]);
        }

        await using var second = await ServerHost.StartKestrelAsync(Settings, output);

        Assert.Equal(new Dictionary<string, ulong> { ["A.M"] = 42, ["A.N"] = 0 }, await CountsAsync(second.Traces, "shop"));
        var status = await second.Ops.StatusAsync(new StatusRequest { App = "shop" }, deadline: Deadline);
        Assert.Equal((2UL, 3UL), (status.BatchesApplied, status.UnknownKeyHits));
        // The memory of applied batches survived too.
        var resent = await CollectAsync(second.Traces, [Batch("shop", "p1", 2, ("A.M", 1)), Batch("shop", "p1", 3, ("A.N", 1))]);
        Assert.Equal([false, true], resent.Select(a => a.Applied));
    }

    [Fact]
    public async Task Stopping_commits_and_acknowledges_every_batch_already_received()
    {
        const int Sent = 3000;
        var server = await ServerHost.StartKestrelAsync(Settings, output);
        var acks = new List<Ack>();
        var written = 0;
        Status ending;
        await using (server)
        {
            await server.Traces.SetAsync(Set("shop", "A.M"), deadline: Deadline);
            using var call = server.Traces.Collect(deadline: Deadline);
            var received = 0;
            var reading = Task.Run(async () =>
            {
                try
                {
                    await foreach (var ack in call.ResponseStream.ReadAllAsync())
                    {
                        acks.Add(ack);
                        Interlocked.Increment(ref received);
                    }

                    return Status.DefaultSuccess;
                }
                catch (RpcException e)
                {
                    return e.Status;
                }
            });
            var writing = Task.Run(async () =>
            {
                try
                {
                    for (var sequence = 1; sequence <= Sent; sequence++)
                    {
                        await call.RequestStream.WriteAsync(Batch("shop", "p1", (ulong)sequence, ("A.M", 1)));
                        written = sequence;
                    }
                }
                catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
                {
                    // The server ended the call while batches were still going out.
                }
            });

            // Stop while batches are in flight: some received, some not.
            for (var attempt = 0; attempt < 500 && Volatile.Read(ref received) == 0; attempt++)
            {
                await Task.Delay(5);
            }

            await server.StopAsync();
            ending = await reading.WaitAsync(CallTimeout);
            await writing.WaitAsync(CallTimeout);
        }

        // What the server received, it committed and acknowledged before it stopped. (A client
        // still sending may lose the last acks when the connection closes under it; it re-sends
        // those batches, which is what the last step checks.)
        var serverReceived = ReceivedBeforeStop(server.Log);
        output.WriteLine($"the client wrote {written}, the server received {serverReceived}, the client read {acks.Count} acks; the call ended with {ending}");
        Assert.Equal(Enumerable.Range(1, acks.Count).Select(s => (ulong)s), acks.Select(a => a.Sequence));
        Assert.InRange(acks.Count, 1, serverReceived);
        await using var restarted = await ServerHost.StartKestrelAsync(Settings, output);
        Assert.Equal((ulong)serverReceived, (await CountsAsync(restarted.Traces, "shop"))["A.M"]);

        var resent = await CollectAsync(restarted.Traces, Enumerable.Range(acks.Count + 1, written - acks.Count).Select(s => Batch("shop", "p1", (ulong)s, ("A.M", 1))));
        Assert.All(resent, a => Assert.Equal(a.Sequence > (ulong)serverReceived, a.Applied));
        Assert.Equal((ulong)written, (await CountsAsync(restarted.Traces, "shop"))["A.M"]);
    }

    [Fact]
    public async Task A_sender_that_vanishes_mid_stream_loses_nothing_and_counts_nothing_twice()
    {
        await using var server = await ServerHost.StartKestrelAsync(Settings, output);
        await server.Traces.SetAsync(Set("shop", "A.M"), deadline: Deadline);
        var acked = new List<Ack>();
        using (var abandon = new CancellationTokenSource())
        using (var call = server.Traces.Collect(deadline: Deadline, cancellationToken: abandon.Token))
        {
            for (var sequence = 1; sequence <= 200; sequence++)
            {
                await call.RequestStream.WriteAsync(Batch("shop", "p1", (ulong)sequence, ("A.M", 1)));
            }

            while (acked.Count < 50 && await call.ResponseStream.MoveNext())
            {
                acked.Add(call.ResponseStream.Current);
            }

            // The process dies: the call is torn down without completing the request stream.
            await abandon.CancelAsync();
        }

        // The restarted sender re-sends everything it has no ack for, in order.
        var resent = await CollectAsync(server.Traces, Enumerable.Range(acked.Count + 1, 200 - acked.Count).Select(s => Batch("shop", "p1", (ulong)s, ("A.M", 1))));

        Assert.Equal(50, acked.Count);
        Assert.Equal(Enumerable.Range(51, 150).Select(s => (ulong)s), resent.Select(a => a.Sequence));
        Assert.Equal(200UL, (await CountsAsync(server.Traces, "shop"))["A.M"]);
        var status = await server.Ops.StatusAsync(new StatusRequest(), deadline: Deadline);
        Assert.Equal((200UL, (ulong)resent.Count(a => !a.Applied), 200UL), (status.BatchesApplied, status.DuplicateBatches, status.HitsTotal));
    }

    [Fact]
    public async Task The_web_port_serves_health_and_status_and_each_port_refuses_the_other_protocol()
    {
        await using var server = await ServerHost.StartKestrelAsync(Settings, output);
        await server.Traces.SetAsync(Set("shop", "A.M"), deadline: Deadline);
        using var web = new HttpClient { BaseAddress = server.WebAddress, Timeout = CallTimeout };

        var health = await web.GetFromJsonAsync<JsonElement>("/healthz");
        var status = await web.GetFromJsonAsync<JsonElement>("/api/status");

        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(["shop"], status.GetProperty("apps").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(1, status.GetProperty("srcs").GetInt64());

        using var grpcOnWebPort = GrpcChannel.ForAddress(server.WebAddress!);
        var error = await Assert.ThrowsAsync<RpcException>(() => new Ops.OpsClient(grpcOnWebPort).StatusAsync(new StatusRequest(), deadline: Deadline).ResponseAsync);
        Assert.NotEqual(StatusCode.OK, error.StatusCode);

        using var h2c = new HttpClient { Timeout = CallTimeout, DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        var grpcPort = new UriBuilder(server.WebAddress!) { Port = int.Parse(server.Settings.GrpcHost.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture) }.Uri;
        using var webOnGrpcPort = await h2c.GetAsync(new Uri(grpcPort, "/healthz"));
        Assert.Equal(HttpStatusCode.NotFound, webOnGrpcPort.StatusCode);
    }

    public void Dispose() => _directory.Dispose();

    private static int ReceivedBeforeStop(TestLogSink log)
    {
        var entry = Assert.Single(log.Entries, e => e.EventId.Id == 23);
        return int.Parse(Regex.Match(entry.Message, @"after receiving (\d+) batches").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }
}
