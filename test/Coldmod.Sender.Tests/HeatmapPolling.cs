using Coldmod.Protocol;
using Grpc.Core;

namespace Coldmod.Sender.Tests;

// How the tests read a server's heatmap, whichever way the server is hosted (in-process, child process, TLS).
internal static class HeatmapPolling
{
    // The app's counts by key, every src included.
    public static async Task<Dictionary<string, ulong>> FetchAllAsync(this Traces.TracesClient traces, string app, Metadata? headers = null)
    {
        var reply = await traces.FetchAsync(new FetchRequest { App = app, All = true }, headers, DateTime.UtcNow.AddSeconds(5));
        return reply.Srcs.ToDictionary(s => s.Key, s => s.Count, StringComparer.Ordinal);
    }

    // Polls until the heatmap holds the expected counts for those keys; returns the last one fetched either way.
    public static async Task<Dictionary<string, ulong>> WaitForCountsAsync(
        Func<Task<Dictionary<string, ulong>>> fetch, IReadOnlyDictionary<string, ulong> expected, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        Dictionary<string, ulong> fetched = [];
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                fetched = await fetch();
                if (expected.All(pair => fetched.GetValueOrDefault(pair.Key) == pair.Value))
                {
                    return fetched;
                }
            }
            catch (RpcException)
            {
                // Not set yet, or the server is restarting.
            }

            await Task.Delay(50);
        }

        return fetched;
    }
}
