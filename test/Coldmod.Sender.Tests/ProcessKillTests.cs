using System.Diagnostics;
using Coldmod.Protocol;
using Coldmod.Runtime.Internal.Sending;
using Coldmod.TestSupport;
using Xunit.Abstractions;
using ColdmodSender = Coldmod.Runtime.Internal.Sending.Sender;

namespace Coldmod.Sender.Tests;

[Collection(nameof(SequentialCollection))]
public sealed class ProcessKillTests(ITestOutputHelper output) : IDisposable
{
    private const string App = "killed-app";
    private const int Kills = 3;
    private static readonly TimeSpan s_flush = TimeSpan.FromMilliseconds(20);
    // Many flush intervals and several backoff steps, so the sender really retries against a closed port.
    private static readonly TimeSpan s_outage = TimeSpan.FromMilliseconds(700);
    private static readonly TimeSpan s_streaming = TimeSpan.FromMilliseconds(400);
    private static readonly TimeSpan s_recovery = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan s_inFlightWait = TimeSpan.FromSeconds(5);
    // Generous: on a loaded machine the last recovery can take a while; the bound only keeps a lost count from hanging the run.
    private static readonly TimeSpan s_arrival = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _temp = new("coldmod-kill");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Every_call_arrives_exactly_once_when_the_server_process_is_stopped_and_killed_while_batches_are_in_flight()
    {
        var clock = Stopwatch.StartNew();
        await using var server = new ChildServer(_temp.Combine("coldmod.db"));
        await server.StartAsync();
        var module = new TestModule("Killed", 6);
        using var stderr = new StderrCapture();
        var settings = new SenderSettings(new Uri($"http://{server.GrpcHost}"), App, Insecure: true, ApiKey: null, TlsCaFile: null, s_flush);
        var sender = new ColdmodSender(settings, module.Drain, () => module.Srcs, jitterSeed: 11);
        sender.Start();
        var workload = new Workload(module, threads: 2);
        var killedInFlight = 0;
        try
        {
            await Task.Delay(s_streaming);
            await server.StopAsync();
            await Task.Delay(s_outage);
            await server.StartAsync();
            await WaitForLinesAsync(stderr, "reconnected", 1);
            output.WriteLine($"graceful restart recovered at {clock.ElapsedMilliseconds} ms");

            for (var kill = 0; kill < Kills; kill++)
            {
                await Task.Delay(s_streaming);
                if (WaitForBatchInFlight(sender))
                {
                    killedInFlight++;
                }

                await server.KillAsync();
                await Task.Delay(s_outage);
                await server.StartAsync();
                await WaitForLinesAsync(stderr, "reconnected", kill + 2);
                output.WriteLine($"kill {kill + 1} recovered at {clock.ElapsedMilliseconds} ms");
            }

            await Task.Delay(s_streaming);
        }
        finally
        {
            workload.Stop();
        }

        var expected = workload.Calls();
        var fetched = Pick(await server.WaitForCountsAsync(App, expected, s_arrival), expected.Keys);
        output.WriteLine($"delivered at {clock.ElapsedMilliseconds} ms");
        sender.Stop();
        // The final flush at stop must not add anything either: every count was already acknowledged.
        var afterStop = Pick(await server.FetchAllAsync(App), expected.Keys);
        var status = await server.Ops.StatusAsync(new StatusRequest { App = App }, deadline: DateTime.UtcNow.AddSeconds(5));
        output.WriteLine($"calls {expected.Values.Sum(c => (long)c)}, batches applied {status.BatchesApplied}, duplicates {status.DuplicateBatches}, connections {sender.Connections}, killed in flight {killedInFlight}, {clock.ElapsedMilliseconds} ms");

        foreach (var line in stderr.Lines)
        {
            output.WriteLine(line);
        }

        Assert.Equal(expected, fetched);
        Assert.Equal(expected, afterStop);
        Assert.Equal((ulong)expected.Values.Sum(c => (long)c), status.HitsTotal);
        Assert.All(expected.Values, count => Assert.True(count > 1000, $"only {count} calls on a key: the workload did not run"));
        // Not vacuous: four outages, each seen once and recovered from once, with batches unacknowledged at the kills.
        Assert.Equal(1 + Kills, Count(stderr, "cannot reach"));
        Assert.Equal(1 + Kills, Count(stderr, "reconnected"));
        Assert.True(sender.Connections >= 2 + Kills, $"{sender.Connections} connections");
        Assert.Equal(2 + Kills, server.Starts);
        Assert.InRange(killedInFlight, 2, Kills);
        Assert.DoesNotContain(stderr.Lines, line => line.Contains("dropped", StringComparison.Ordinal) || line.Contains("gave up", StringComparison.Ordinal));
    }

    // Spins (yielding) until a frozen batch waits for its ack, so the kill lands between send and ack.
    private static bool WaitForBatchInFlight(ColdmodSender sender)
    {
        var clock = Stopwatch.StartNew();
        var spin = new SpinWait();
        while (clock.Elapsed < s_inFlightWait)
        {
            if (sender.Outbox.UnacknowledgedCount > 0)
            {
                return true;
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        return false;
    }

    private static async Task WaitForLinesAsync(StderrCapture stderr, string text, int count)
    {
        var clock = Stopwatch.StartNew();
        while (Count(stderr, text) < count)
        {
            if (clock.Elapsed > s_recovery)
            {
                throw new TimeoutException($"no {count}th '{text}' within {s_recovery.TotalSeconds:0} s:{Environment.NewLine}{string.Join(Environment.NewLine, stderr.Lines)}");
            }

            await Task.Delay(20);
        }
    }

    private static int Count(StderrCapture stderr, string text) =>
        stderr.Lines.Count(line => line.Contains(text, StringComparison.Ordinal));

    private static Dictionary<string, ulong> Pick(Dictionary<string, ulong> fetched, IEnumerable<string> keys) =>
        keys.ToDictionary(k => k, k => fetched.GetValueOrDefault(k), StringComparer.Ordinal);

    // Threads calling the module's methods at a steady pace, each counting its own calls per key.
    private sealed class Workload
    {
        private const int Burst = 10;

        private readonly TestModule _module;
        private readonly Thread[] _threads;
        private readonly long[][] _calls;
        private volatile bool _stopping;

        public Workload(TestModule module, int threads)
        {
            _module = module;
            _calls = [.. Enumerable.Range(0, threads).Select(_ => new long[module.Keys.Count])];
            _threads = [.. Enumerable.Range(0, threads).Select(t => new Thread(() => Run(t)) { IsBackground = true, Name = $"workload {t}" })];
            foreach (var thread in _threads)
            {
                thread.Start();
            }
        }

        public void Stop()
        {
            _stopping = true;
            foreach (var thread in _threads)
            {
                Assert.True(thread.Join(TimeSpan.FromSeconds(10)), "a workload thread did not stop");
            }
        }

        // Only after Stop: the threads have joined, so their arrays are final and visible.
        public Dictionary<string, ulong> Calls() =>
            Enumerable.Range(0, _module.Keys.Count).ToDictionary(k => _module.Keys[k], k => (ulong)_calls.Sum(calls => calls[k]), StringComparer.Ordinal);

        private void Run(int thread)
        {
            var calls = _calls[thread];
            for (var round = 0; !_stopping; round++)
            {
                for (var i = 0; i < Burst; i++)
                {
                    var key = (round + i + thread) % calls.Length;
                    _module.Hit(key);
                    calls[key]++;
                }

                Thread.Sleep(1);
            }
        }
    }
}
