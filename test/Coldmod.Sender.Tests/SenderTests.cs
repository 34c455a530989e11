using System.Diagnostics;
using Coldmod.Runtime;
using Coldmod.Runtime.Internal;
using Coldmod.Runtime.Internal.Sending;
using Coldmod.TestSupport;
using ColdmodSender = Coldmod.Runtime.Internal.Sending.Sender;

namespace Coldmod.Sender.Tests;

[Collection(nameof(SequentialCollection))]
public sealed class SenderTests : IDisposable
{
    private static readonly TimeSpan s_arrival = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _temp = new("coldmod-sender");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Start_reports_a_bad_setting_in_one_line_then_sets_every_src_and_delivers_counts_exactly()
    {
        await using var server = new ServerProcess(_temp.Combine("heatmap.db"));
        await server.StartAsync();
        var module = new TestModule("Started", 3);
        var options = new ColdmodTracingOptions { App = "started-app", Insecure = true, FlushInterval = TimeSpan.FromMilliseconds(50) };
        try
        {
            using (var stderr = new StderrCapture())
            {
                options.GrpcHost = "no port here";
                Assert.False(ColdmodTracing.Start(options));
                var line = Assert.Single(stderr.Lines);
                Assert.Contains("COLDMOD_GRPC_HOST", line, StringComparison.Ordinal);
            }

            options.GrpcHost = server.GrpcHost;
            Assert.True(ColdmodTracing.Start(options));
            Assert.True(ColdmodTracing.Start(options));

            var zeros = module.Keys.ToDictionary(k => k, _ => 0UL);
            zeros["Coldmod.Sender.Tests.Unloaded.Plugin.Run"] = 0;
            var set = await server.WaitForCountsAsync("started-app", zeros, s_arrival);
            Assert.All(zeros.Keys, key => Assert.True(set.ContainsKey(key), key));

            for (var i = 0; i < 5; i++)
            {
                module.Hit(0);
            }

            module.Hit(2);
            var expected = new Dictionary<string, ulong> { [module.Keys[0]] = 5, [module.Keys[1]] = 0, [module.Keys[2]] = 1 };
            Assert.Equal(expected, Pick(await server.WaitForCountsAsync("started-app", expected, s_arrival), expected.Keys));
        }
        finally
        {
            ColdmodTracing.StopForExit();
        }
    }

    [Fact]
    public async Task With_a_host_list_the_sender_reports_to_the_next_host_when_one_cannot_be_reached()
    {
        await using var server = new ServerProcess(_temp.Combine("second.db"));
        await server.StartAsync();
        var down = new Uri($"http://127.0.0.1:{LoopbackPort.Free()}");
        var up = new Uri($"http://{server.GrpcHost}");
        var module = new TestModule("Failover", 2);
        using var stderr = new StderrCapture();
        var settings = new SenderSettings(down, "failover-app", Insecure: true, ApiKey: null, TlsCaFile: null, TimeSpan.FromMilliseconds(20), Hosts: [down, up]);
        var sender = new ColdmodSender(settings, module.Drain, () => module.Srcs, jitterSeed: 5);
        sender.Start();
        try
        {
            for (var i = 0; i < 7; i++)
            {
                module.Hit(0);
            }

            var expected = new Dictionary<string, ulong> { [module.Keys[0]] = 7, [module.Keys[1]] = 0 };
            Assert.Equal(expected, Pick(await server.WaitForCountsAsync("failover-app", expected, s_arrival), expected.Keys));
        }
        finally
        {
            sender.Stop();
        }

        Assert.Contains(stderr.Lines, line => line.Contains($"cannot reach the Coldmod server at {down.Authority}", StringComparison.Ordinal) && line.Contains($"on {up.Authority} next", StringComparison.Ordinal));
        Assert.Contains(stderr.Lines, line => line.Contains($"reconnected to the Coldmod server at {up.Authority}.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_call_arrives_exactly_once_across_server_restarts_and_held_batches_stay_bounded()
    {
        await using var server = new ServerProcess(_temp.Combine("heatmap.db"));
        await server.StartAsync();
        var module = new TestModule("Restarted", 4);
        using var stderr = new StderrCapture();
        var sender = NewSender(server.GrpcHost, "restart-app", module, TimeSpan.FromMilliseconds(20));
        sender.Start();
        var maxHeld = 0;
        var calls = new long[module.Keys.Count];
        using var done = new CancellationTokenSource();
        var workload = Task.Run(() =>
        {
            for (var round = 0; !done.IsCancellationRequested; round++)
            {
                var index = round % calls.Length;
                module.Hit(index);
                calls[index]++;
                maxHeld = Math.Max(maxHeld, sender.Outbox.HeldBatches);
                Thread.Sleep(round % 50 == 0 ? 1 : 0);
            }
        });
        try
        {
            for (var restart = 0; restart < 2; restart++)
            {
                await Task.Delay(400);
                await server.StopAsync();
                // Dozens of flush intervals with the server away.
                await Task.Delay(800);
                await server.StartAsync();
            }

            await Task.Delay(300);
        }
        finally
        {
            await done.CancelAsync();
            await workload;
        }

        var expected = Enumerable.Range(0, calls.Length).ToDictionary(i => module.Keys[i], i => (ulong)calls[i]);
        var fetched = await server.WaitForCountsAsync("restart-app", expected, s_arrival);

        // The sender says "reconnected" when it next sees an ack, which may come just after the counts were
        // fetched: give it a bounded moment rather than racing it.
        for (var wait = Stopwatch.StartNew(); wait.Elapsed < s_arrival && !stderr.Lines.Any(l => l.Contains("reconnected", StringComparison.Ordinal));)
        {
            module.Hit(0);
            expected[module.Keys[0]]++;
            await Task.Delay(50);
        }

        fetched = await server.WaitForCountsAsync("restart-app", expected, s_arrival);
        sender.Stop();
        Assert.Equal(expected, Pick(fetched, expected.Keys));
        // The outage was seen and recovered from, each in one line, not one per attempt.
        Assert.Contains(stderr.Lines, line => line.Contains("cannot reach", StringComparison.Ordinal));
        Assert.Contains(stderr.Lines, line => line.Contains("reconnected", StringComparison.Ordinal));
        Assert.True(sender.Connections >= 1);
        Assert.InRange(maxHeld, 0, 2);
        Assert.True(expected.Values.All(count => count > 0));
    }

    [Fact]
    public async Task While_the_server_is_away_new_counts_merge_into_one_pending_batch_and_are_delivered_when_it_comes()
    {
        var port = LoopbackPort.Free();
        await using var server = new ServerProcess(_temp.Combine("heatmap.db"));
        var module = new TestModule("Away", 2);
        var sender = NewSender(server.GrpcHost, "away-app", module, TimeSpan.FromMilliseconds(10));
        using var stderr = new StderrCapture();
        sender.Start();
        var maxHeld = 0;
        for (var i = 0; i < 100; i++)
        {
            module.Hit(i % 2);
            maxHeld = Math.Max(maxHeld, sender.Outbox.HeldBatches);
            await Task.Delay(5);
        }

        Assert.InRange(maxHeld, 0, 2);
        await server.StartAsync();
        var expected = new Dictionary<string, ulong> { [module.Keys[0]] = 50, [module.Keys[1]] = 50 };
        var fetched = await server.WaitForCountsAsync("away-app", expected, s_arrival);
        sender.Stop();
        Assert.Equal(expected, Pick(fetched, expected.Keys));
        Assert.Single(stderr.Lines, line => line.Contains("cannot reach", StringComparison.Ordinal));
        Assert.NotEqual(0, port);
    }

    [Fact]
    public async Task The_offline_heatmap_file_counts_what_the_sender_drained_as_well_as_what_it_did_not()
    {
        await using var server = new ServerProcess(_temp.Combine("heatmap.db"));
        await server.StartAsync();
        // Backed by this assembly's srcs table, as a woven module is: the file holds only srcs it can place.
        var module = new TestModule(ColdmodModules.Register(typeof(SenderTests).Assembly, 1));
        var sender = NewSender(server.GrpcHost, "export-app", module, TimeSpan.FromMilliseconds(20));
        sender.Start();
        for (var i = 0; i < 7; i++)
        {
            module.Hit(0);
        }

        var sent = new Dictionary<string, ulong> { [module.Keys[0]] = 7 };
        Assert.Equal(sent, Pick(await server.WaitForCountsAsync("export-app", sent, s_arrival), sent.Keys));
        sender.Stop();
        // Counted after the sender stopped: only the export's own sweep sees these.
        module.Hit(0);
        module.Hit(0);

        var path = HeatmapFileExport.Export(_temp.Combine("heatmap.json"), [module.Counters]);

        Assert.NotNull(path);
        var entries = HeatmapFileJson.Read(await File.ReadAllBytesAsync(path)).ToDictionary(e => e.Key, e => e.Count);
        Assert.Equal(9, entries[module.Keys[0]]);
    }

    private static ColdmodSender NewSender(string host, string app, TestModule module, TimeSpan flush)
    {
        var settings = new SenderSettings(new Uri($"http://{host}"), app, Insecure: true, ApiKey: null, TlsCaFile: null, flush);
        return new ColdmodSender(settings, module.Drain, () => module.Srcs, jitterSeed: 7);
    }

    private static Dictionary<string, ulong> Pick(Dictionary<string, ulong> fetched, IEnumerable<string> keys) =>
        keys.ToDictionary(k => k, k => fetched.GetValueOrDefault(k), StringComparer.Ordinal);
}
