using Coldmod.Protocol;
using Coldmod.Runtime;
using Coldmod.Runtime.Internal.Sending;
using Coldmod.TestSupport;
using Xunit.Abstractions;
using ColdmodSender = Coldmod.Runtime.Internal.Sending.Sender;

namespace Coldmod.Sender.Tests;

// Processes of two builds of one app, each a sender with its own counters, against one real server on 127.0.0.1.
[Collection(nameof(SequentialCollection))]
public sealed class VersionSenderTests(ITestOutputHelper output) : IDisposable
{
    private const string Prefix = "Coldmod.Sender.Tests.Deploy.";
    private static readonly TimeSpan s_flush = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan s_arrival = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_running = TimeSpan.FromMilliseconds(150);

    // v2 removes Refund and adds Export; both keep Place and Cancel.
    private static readonly string[] s_v1 = [Prefix + "Place", Prefix + "Cancel", Prefix + "Refund"];
    private static readonly string[] s_v2 = [Prefix + "Place", Prefix + "Cancel", Prefix + "Export"];

    private readonly TempDirectory _temp = new("coldmod-versions");
    private int _processes;

    public void Dispose() => _temp.Dispose();

    public static TheoryData<bool> Orders => new() { false, true };

    [Theory]
    [MemberData(nameof(Orders))]
    public async Task Starts_of_two_builds_interleaved_while_both_keep_calling_lose_and_double_no_count(bool newBuildFirst)
    {
        const string app = "deploy-app";
        await using var server = new ServerProcess(_temp.Combine($"deploy-{newBuildFirst}.db"));
        await server.StartAsync();
        var (first, second) = newBuildFirst ? (s_v2, s_v1) : (s_v1, s_v2);
        var processes = new List<TracedProcess>();
        try
        {
            // A rolling deploy: old, new, old restarted, new again, each start while the others keep counting.
            foreach (var keys in new[] { first, second, first, second })
            {
                var process = new TracedProcess(server.GrpcHost, app, keys, ++_processes);
                processes.Add(process);
                // Two first starts of one build racing each other would both send the srcs, which is allowed.
                await WaitForVersionAsync(process.Sender);
                await Task.Delay(s_running);
            }

            await Task.Delay(s_running);
        }
        finally
        {
            foreach (var process in processes)
            {
                process.Stop();
            }
        }

        var expected = new Dictionary<string, ulong>(StringComparer.Ordinal);
        foreach (var (key, calls) in processes.SelectMany(p => p.Calls()))
        {
            expected[key] = expected.GetValueOrDefault(key) + calls;
        }

        var view = await WaitForViewAsync(server, app, expected);
        var counted = view.Srcs.Concat(view.OlderSrcs).ToDictionary(s => s.Key, s => s.Count, StringComparer.Ordinal);
        output.WriteLine(string.Join(", ", expected.Select(p => $"{p.Key[Prefix.Length..]}={p.Value}")));
        Assert.Equal(expected, counted);
        Assert.All(expected.Values, calls => Assert.True(calls > 0));
        Assert.Equal(second.Order(StringComparer.Ordinal), view.Srcs.Select(s => s.Key));
        Assert.Equal(first.Except(second), view.OlderSrcs.Select(s => s.Key));
        var status = await server.Ops.StatusAsync(new StatusRequest { App = app }, deadline: DateTime.UtcNow.AddSeconds(5));
        Assert.Equal((0UL, 2UL), (status.UnknownKeyHits, status.Versions));
        // Only the first process of each build sent its srcs.
        Assert.Equal([3L, 3L, 0L, 0L], processes.Select(p => p.Sender.SrcsSent));
    }

    [Fact]
    public async Task A_second_process_of_a_known_build_sends_its_version_and_no_srcs()
    {
        const string app = "fleet-app";
        await using var server = new ServerProcess(_temp.Combine("fleet.db"));
        await server.StartAsync();
        var first = new TracedProcess(server.GrpcHost, app, s_v1, ++_processes, label: "commit 1a2b");
        await WaitForVersionAsync(first.Sender);
        var second = new TracedProcess(server.GrpcHost, app, s_v1, ++_processes, label: "commit 1a2b");
        await WaitForVersionAsync(second.Sender);
        first.Stop();
        second.Stop();

        output.WriteLine($"first start: {first.Sender.SetBytesSent} bytes of Set; second start: {second.Sender.SetBytesSent} bytes");
        Assert.Equal((3L, 0L), (first.Sender.SrcsSent, second.Sender.SrcsSent));
        Assert.Equal(first.Sender.Version, second.Sender.Version);
        Assert.True(second.Sender.SetBytesSent < 100, $"{second.Sender.SetBytesSent} bytes");
        var versions = await server.Ops.VersionsAsync(new VersionsRequest { App = app }, deadline: DateTime.UtcNow.AddSeconds(5));
        var version = Assert.Single(versions.Versions);
        Assert.Equal((first.Sender.Version, "commit 1a2b", 2UL, 3UL), (version.Id, version.Label, version.Processes, version.Srcs));
        var expected = first.Calls().ToDictionary(p => p.Key, p => p.Value + second.Calls()[p.Key], StringComparer.Ordinal);
        var view = await WaitForViewAsync(server, app, expected);
        Assert.Equal(expected, view.Srcs.ToDictionary(s => s.Key, s => s.Count, StringComparer.Ordinal));
    }

    [Fact]
    public void The_version_is_a_hash_of_the_srcs_equal_for_equal_srcs_in_any_order()
    {
        var a = new TestModuleSrcs(s_v1).Srcs;
        var reordered = a.AsEnumerable().Reverse().ToList();

        Assert.Equal(AppVersion.Of(a), AppVersion.Of(reordered));
        Assert.NotEqual(AppVersion.Of(a), AppVersion.Of(new TestModuleSrcs(s_v2).Srcs));
        Assert.NotEqual(AppVersion.Of(a), AppVersion.Of([.. a.Select(s => s with { Line = s.Line + 1 })]));
    }

    private static async Task WaitForVersionAsync(ColdmodSender sender)
    {
        for (var wait = 0; sender.Version is null || sender.Outbox.Version.Length == 0; wait++)
        {
            Assert.True(wait < 600, "the sender did not set its version within 30 s");
            await Task.Delay(50);
        }
    }

    private static async Task<FetchReply> WaitForViewAsync(ServerProcess server, string app, Dictionary<string, ulong> expected)
    {
        var deadline = DateTime.UtcNow + s_arrival;
        FetchReply view = new();
        while (DateTime.UtcNow < deadline)
        {
            view = await server.Traces.FetchAsync(new FetchRequest { App = app, All = true }, deadline: DateTime.UtcNow.AddSeconds(5));
            var counted = view.Srcs.Concat(view.OlderSrcs).ToDictionary(s => s.Key, s => s.Count, StringComparer.Ordinal);
            if (expected.All(p => counted.GetValueOrDefault(p.Key) == p.Value))
            {
                break;
            }

            await Task.Delay(50);
        }

        return view;
    }

    private sealed record TestModuleSrcs(string[] Keys)
    {
        public List<Runtime.Internal.SrcEntry> Srcs => [.. Keys.Select((key, i) => new Runtime.Internal.SrcEntry(key, "src/Deploy.cs", 10 + key.Length))];
    }

    // One process of one build: its own counters, a thread that keeps calling every method, and a sender.
    private sealed class TracedProcess
    {
        private readonly TestModule _module;
        private readonly long[] _calls;
        private readonly Thread _workload;
        private volatile bool _stopping;

        public TracedProcess(string grpcHost, string app, string[] keys, int number, string? label = null)
        {
            _module = new TestModule(ColdmodModules.Register($"Deploy{number}", keys));
            _calls = new long[keys.Length];
            var settings = new SenderSettings(new Uri($"http://{grpcHost}"), app, Insecure: true, ApiKey: null, TlsCaFile: null, s_flush, label);
            Sender = new ColdmodSender(settings, _module.Drain, () => new TestModuleSrcs(keys).Srcs, jitterSeed: number);
            Sender.Start();
            _workload = new Thread(Run) { IsBackground = true, Name = $"process {number}" };
            _workload.Start();
        }

        public ColdmodSender Sender { get; }

        public void Stop()
        {
            _stopping = true;
            Assert.True(_workload.Join(TimeSpan.FromSeconds(10)), "a workload thread did not stop");
            Sender.Stop(TimeSpan.FromSeconds(10));
        }

        // Only after Stop.
        public Dictionary<string, ulong> Calls() =>
            Enumerable.Range(0, _calls.Length).ToDictionary(i => _module.Keys[i], i => (ulong)_calls[i], StringComparer.Ordinal);

        private void Run()
        {
            for (var round = 0; !_stopping; round++)
            {
                var index = round % _calls.Length;
                _module.Hit(index);
                _calls[index]++;
                if (round % 64 == 0)
                {
                    Thread.Sleep(1);
                }
            }
        }
    }
}
