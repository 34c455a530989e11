using System.Diagnostics;
using Coldmod.Runtime;
using Coldmod.Runtime.Internal;

namespace Coldmod.Weaver.Tests.Weaving;

/// <summary>
/// The default counting mode, woven: the probe's decrement is a plain one, which two threads calling a method at once
/// can make lose a call. These tests race threads calling woven methods against a drainer that also opens and closes
/// sampling windows, and hold the guarantees the plain decrement must keep: a method that ran is never cold, a method
/// that did not run is never called, and a method below its bound is never counted more often than it ran.
/// </summary>
public sealed class RacingProbeTests(RacingProbeTests.SampledModule module) : IClassFixture<RacingProbeTests.SampledModule>
{
    private const int Bound = 64;
    private const int Workers = 2;

    [Fact]
    public void Threads_racing_a_drainer_never_make_a_method_that_ran_cold_nor_one_that_did_not_called()
    {
        var counters = ColdmodModules.Find(module.Woven)!;
        counters.Drain();
        var methods = Enumerable.Range(0, ProbeWordTests.Module.Methods).Select(module.Method).ToArray();
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        using var start = new Barrier(Workers + 1);
        var workers = Enumerable.Range(0, Workers).Select(worker => new Thread(() =>
        {
            start.SignalAndWait();
            // Both threads call the same methods in the same order, so most calls of a method race the other thread's.
            for (var round = 0; round < 200; round++)
            {
                for (var i = 0; i < methods.Length; i++)
                {
                    if (round < Calls(i))
                    {
                        methods[i]();
                    }
                }
            }
        })).ToArray();
        foreach (var thread in workers)
        {
            thread.Start();
        }

        start.SignalAndWait();
        var drains = 0;
        var deadline = Stopwatch.StartNew();
        while (workers.Any(t => t.IsAlive) && deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            var now = Stopwatch.GetTimestamp();
            if (drains % 2 == 0)
            {
                counters.OpenWindow(now);
            }
            else
            {
                counters.CloseWindow(now);
            }

            Add(totals, counters.Drain());
            drains++;
        }

        foreach (var thread in workers)
        {
            Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "a worker did not finish");
        }

        Add(totals, counters.Drain(sweep: true));

        Assert.True(drains > 1, $"the drainer ran {drains} time(s) while the workers ran; the race was not run");
        for (var i = 0; i < methods.Length; i++)
        {
            var key = ProbeWordTests.Module.Key(i);
            var calls = (long)Calls(i) * Workers;
            if (calls == 0)
            {
                Assert.False(totals.ContainsKey(key), $"{key} never ran and was counted {totals.GetValueOrDefault(key)} times");
                continue;
            }

            Assert.True(totals.GetValueOrDefault(key) >= 1, $"{key} ran {calls} times and was reported cold");
            if (calls < Bound)
            {
                Assert.True(totals[key] <= calls, $"{key} ran {calls} times and was counted {totals[key]} times");
            }
        }
    }

    // A third of the methods never run; the others run from once to past the bound, per thread.
    private static int Calls(int index) => (index % 3) switch
    {
        0 => 0,
        1 => 1 + (index % 7),
        _ => index % 2 == 0 ? Bound + index : 10,
    };

    private static void Add(Dictionary<string, long> totals, IReadOnlyList<HitCount> hits)
    {
        foreach (var hit in hits)
        {
            totals[hit.Key] = totals.GetValueOrDefault(hit.Key) + hit.Count;
        }
    }

    /// <summary>The 600-method module, counting as an app does by default: exactly up to 64 calls, then sampled.</summary>
    public sealed class SampledModule() : ProbeWordTests.Module("Woven.ProbeWords.Sampled", CountingSettings.Sampled with { ExactBound = Bound, WindowBudget = 16 });
}
