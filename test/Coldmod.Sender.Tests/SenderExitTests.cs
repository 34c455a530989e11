using Coldmod.Protocol;
using Coldmod.Runtime.Internal.Sending;
using Coldmod.TestSupport;
using Grpc.Net.Client;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using ColdmodSender = Coldmod.Runtime.Internal.Sending.Sender;

namespace Coldmod.Sender.Tests;

// What the server sees when an app exits: a Collect stream the sender completed, said in one debug line, never an
// exception with a stack trace.
[Collection(nameof(SequentialCollection))]
public sealed class SenderExitTests(ITestOutputHelper output) : IDisposable
{
    private const string App = "exiting-app";
    private static readonly TimeSpan s_arrival = TimeSpan.FromSeconds(15);

    private readonly TempDirectory _temp = new("coldmod-exit");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_stopping_sender_completes_its_stream_and_the_server_logs_one_debug_line_without_an_exception()
    {
        var log = new ServerLogCapture();
        await using var server = new ServerProcess(_temp.Combine("heatmap.db"), log);
        await server.StartAsync();
        var module = new TestModule("Exiting", 3);
        var settings = new SenderSettings(new Uri($"http://{server.GrpcHost}"), App, Insecure: true, ApiKey: null, TlsCaFile: null, TimeSpan.FromMilliseconds(20));
        var sender = new ColdmodSender(settings, module.Drain, () => module.Srcs, jitterSeed: 3);
        sender.Start();
        var zeros = module.Keys.ToDictionary(k => k, _ => 0UL);
        await server.WaitForCountsAsync(App, zeros, s_arrival);
        for (var i = 0; i < 4; i++)
        {
            module.Hit(0);
        }

        await server.WaitForCountsAsync(App, new Dictionary<string, ulong> { [module.Keys[0]] = 4 }, s_arrival);
        // Counted just before exit: only the final flush carries these.
        module.Hit(1);
        module.Hit(2);
        module.Hit(2);

        sender.Stop();
        var ended = await WaitForEntryAsync(log, e => e.EventId.Id == CompletedEvent);
        var fetched = await server.FetchAllAsync(App);
        await server.StopAsync();
        foreach (var entry in log.Entries)
        {
            output.WriteLine(entry.ToString());
        }

        Assert.Equal(new Dictionary<string, ulong> { [module.Keys[0]] = 4, [module.Keys[1]] = 1, [module.Keys[2]] = 2 },
            module.Keys.ToDictionary(k => k, k => fetched.GetValueOrDefault(k)));
        AssertOneDebugLineAndNoException(log, ended, CompletedEvent);
        Assert.DoesNotContain(log.Entries, e => e.EventId.Id == WentAwayEvent);
    }

    [Fact]
    public async Task A_client_that_goes_away_without_completing_its_stream_is_one_debug_line_without_an_exception()
    {
        var log = new ServerLogCapture();
        await using var server = new ServerProcess(_temp.Combine("heatmap.db"), log);
        await server.StartAsync();
        const string Key = "Coldmod.Sender.Tests.Gone.M";
        await server.Traces.SetAsync(new SetRequest { App = App, Srcs = { new Src { Key = Key, File = "src/Gone.cs", Line = 1 } } }, deadline: DateTime.UtcNow.AddSeconds(10));

        using (var channel = GrpcChannel.ForAddress($"http://{server.GrpcHost}"))
        {
            var call = new Traces.TracesClient(channel).Collect(deadline: DateTime.UtcNow.AddSeconds(10));
            await call.RequestStream.WriteAsync(new Batch { App = App, ProcessId = "gone-1", Sequence = 1, Hits = { new Hit { Key = Key, Count = 3 } } });
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(1UL, call.ResponseStream.Current.Sequence);
            // As a process that exits without completing its stream: its connection goes, and the stream with it.
        }

        var ended = await WaitForEntryAsync(log, e => e.EventId.Id == WentAwayEvent);
        var fetched = await server.FetchAllAsync(App);
        await server.StopAsync();
        foreach (var entry in log.Entries)
        {
            output.WriteLine(entry.ToString());
        }

        Assert.Equal(3UL, fetched[Key]);
        AssertOneDebugLineAndNoException(log, ended, WentAwayEvent);
        Assert.DoesNotContain(log.Entries, e => e.EventId.Id == CompletedEvent);
    }

    private const int CompletedEvent = 24;
    private const int WentAwayEvent = 26;

    private static void AssertOneDebugLineAndNoException(ServerLogCapture log, ServerLogCapture.Entry? ended, int eventId)
    {
        Assert.NotNull(ended);
        Assert.Equal(LogLevel.Debug, ended.Level);
        Assert.Single(log.Entries, e => e.EventId.Id == eventId);
        Assert.StartsWith("Collect from ipv4:127.0.0.1:", ended.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(log.Entries, e => e.Exception is not null);
        Assert.DoesNotContain(log.Entries, e => e.Message.Contains("   at ", StringComparison.Ordinal));
    }

    private static async Task<ServerLogCapture.Entry?> WaitForEntryAsync(ServerLogCapture log, Func<ServerLogCapture.Entry, bool> match)
    {
        var deadline = DateTime.UtcNow + s_arrival;
        while (DateTime.UtcNow < deadline)
        {
            if (log.Entries.FirstOrDefault(match) is { } entry)
            {
                return entry;
            }

            await Task.Delay(20);
        }

        return null;
    }
}
