using Coldmod.Protocol;
using Grpc.Core;

namespace Coldmod.Server.Tests.Infrastructure;

// Builds protocol messages and drives calls the way the runtime sender and the CLI will.
public static class Wire
{
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    public static DateTime Deadline => DateTime.UtcNow.Add(CallTimeout);

    public static SetRequest Set(string app, params string[] keys)
    {
        var request = new SetRequest { App = app };
        for (var i = 0; i < keys.Length; i++)
        {
            request.Srcs.Add(new Src { Key = keys[i], File = "src/Shop/Orders.cs", Line = (uint)(10 * (i + 1)) });
        }

        return request;
    }

    public static Batch Batch(string app, string processId, ulong sequence, params (string Key, ulong Count)[] hits)
    {
        var batch = new Batch { App = app, ProcessId = processId, Sequence = sequence };
        foreach (var (key, count) in hits)
        {
            batch.Hits.Add(new Hit { Key = key, Count = count });
        }

        return batch;
    }

    // Sends every batch, completes the stream, and returns the acks in the order received.
    public static async Task<List<Ack>> CollectAsync(Traces.TracesClient client, IEnumerable<Batch> batches, Metadata? headers = null)
    {
        using var call = client.Collect(headers, Deadline);
        var reading = ReadAcksAsync(call.ResponseStream);
        foreach (var batch in batches)
        {
            await call.RequestStream.WriteAsync(batch);
        }

        await call.RequestStream.CompleteAsync();
        return await reading;
    }

    public static async Task<List<Ack>> ReadAcksAsync(IAsyncStreamReader<Ack> acks)
    {
        var received = new List<Ack>();
        await foreach (var ack in acks.ReadAllAsync())
        {
            received.Add(ack);
        }

        return received;
    }

    public static async Task<Dictionary<string, HeatSrc>> FetchAllAsync(Traces.TracesClient client, string app, Metadata? headers = null)
    {
        var reply = await client.FetchAsync(new FetchRequest { App = app, All = true }, headers, Deadline);
        return reply.Srcs.ToDictionary(s => s.Key);
    }

    public static async Task<Dictionary<string, ulong>> CountsAsync(Traces.TracesClient client, string app) =>
        (await FetchAllAsync(client, app)).ToDictionary(p => p.Key, p => p.Value.Count);
}
