using Coldmod.Runtime.Internal.Sending;
using Coldmod.Server.Tests.Infrastructure;
using Coldmod.TestSupport;
using ColdmodSender = Coldmod.Runtime.Internal.Sending.Sender;

namespace Coldmod.Sender.Tests;

// COLDMOD_GRPC_HOST as a list of instances on one Redis: the runtime's own sender moves to the next instance when
// the one it streams to is SIGKILLed, and the one heatmap ends with every call once.
[Collection(nameof(SequentialCollection))]
public sealed class HostListTests(RedisServer redis) : IClassFixture<RedisServer>, IDisposable
{
    private const string App = "host-list-app";
    private static readonly TimeSpan s_arrival = TimeSpan.FromSeconds(60);

    private readonly TempDirectory _temp = new("coldmod-host-list");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_sender_given_two_instances_moves_to_the_second_when_the_first_is_SIGKILLed_and_every_call_arrives_once()
    {
        await redis.FlushAsync();
        await using var first = new ChildServer(redis.Url, _temp.Path);
        await using var second = new ChildServer(redis.Url, _temp.Path);
        await first.StartAsync();
        await second.StartAsync();
        var module = new TestModule("HostList", 3);
        using var stderr = new StderrCapture();
        Uri[] hosts = [new($"http://{first.GrpcHost}"), new($"http://{second.GrpcHost}")];
        var settings = new SenderSettings(hosts[0], App, Insecure: true, ApiKey: null, TlsCaFile: null, TimeSpan.FromMilliseconds(20), Hosts: hosts);
        var sender = new ColdmodSender(settings, module.Drain, () => module.Srcs, jitterSeed: 7);
        sender.Start();
        try
        {
            Call(module, times: 100);
            var before = module.Keys.ToDictionary(k => k, _ => 100UL, StringComparer.Ordinal);
            Assert.Equal(before, Pick(await first.WaitForCountsAsync(App, before, s_arrival), before.Keys));

            await first.KillAsync();
            Call(module, times: 50);

            var expected = module.Keys.ToDictionary(k => k, _ => 150UL, StringComparer.Ordinal);
            Assert.Equal(expected, Pick(await second.WaitForCountsAsync(App, expected, s_arrival), expected.Keys));
        }
        finally
        {
            sender.Stop();
        }

        Assert.Contains(stderr.Lines, line => line.Contains($"cannot reach the Coldmod server at {first.GrpcHost}", StringComparison.Ordinal)
            && line.Contains($"on {second.GrpcHost} next", StringComparison.Ordinal));
        Assert.Contains(stderr.Lines, line => line.Contains($"reconnected to the Coldmod server at {second.GrpcHost}.", StringComparison.Ordinal));
        Assert.DoesNotContain(stderr.Lines, line => line.Contains("dropped", StringComparison.Ordinal));
    }

    private static void Call(TestModule module, int times)
    {
        for (var i = 0; i < times; i++)
        {
            for (var key = 0; key < module.Keys.Count; key++)
            {
                module.Hit(key);
            }
        }
    }

    private static Dictionary<string, ulong> Pick(Dictionary<string, ulong> fetched, IEnumerable<string> keys) =>
        keys.ToDictionary(k => k, k => fetched.GetValueOrDefault(k), StringComparer.Ordinal);
}
