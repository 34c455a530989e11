using System.Diagnostics;
using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime.Tests;

// The default mode: every call counted exactly up to the bound, then the probe goes quiet and windows estimate the rest.
public sealed unsafe class SampledCountingTests
{
    private const long Bound = 64;

    [Fact]
    public void Calls_up_to_the_bound_are_counted_exactly_and_the_method_stays_armed()
    {
        var module = Sampled("Sampled.UpToBound", methods: 2);

        Probe.Hit(module, 1, times: (int)Bound - 1);

        Assert.True(module.IsArmed(1));
        Assert.Equal([new HitCount(module.Keys[1], Bound - 1)], module.Drain());
    }

    [Fact]
    public void At_the_bound_the_probe_goes_quiet_and_later_calls_reach_no_counter()
    {
        var module = Sampled("Sampled.AtBound", methods: 2);

        Probe.Hit(module, 0, times: (int)Bound + 1000);

        Assert.False(module.IsArmed(0));
        Assert.True(module.IsArmed(1));
        Assert.Equal([new HitCount(module.Keys[0], Bound)], module.Drain());
        Assert.Equal(1, module.SamplingCount);
        Assert.Empty(module.Drain());
    }

    [Fact]
    public void A_window_estimates_the_calls_of_the_time_it_stands_for_and_says_they_are_estimated()
    {
        var module = Sampled("Sampled.Window", methods: 1);
        Probe.Hit(module, 0, times: (int)Bound);
        module.Drain();
        var since = Stopwatch.GetTimestamp();
        var previous = ModuleCounters.WindowCallTicks;
        ModuleCounters.WindowCallTicks = 0;
        try
        {
            // Opened a second (in ticks) after sampling began and closed a second later: 10 calls in half the time stand for 20.
            module.OpenWindow(since + Stopwatch.Frequency);
            Assert.True(module.IsArmed(0));
            Probe.Hit(module, 0, times: 10);
            module.CloseWindow(since + (2 * Stopwatch.Frequency));
        }
        finally
        {
            ModuleCounters.WindowCallTicks = previous;
        }

        var hit = Assert.Single(module.Drain());
        Assert.False(module.IsArmed(0));
        Assert.Equal(module.Keys[0], hit.Key);
        Assert.Equal(20, hit.Count);
        Assert.Equal(hit.Count, hit.Estimated);
        Assert.InRange(hit.EstimateVariance, 39.9, 40.1);
    }

    [Fact]
    public void A_window_that_fills_its_budget_goes_quiet_before_it_closes_and_the_next_window_is_shorter()
    {
        var module = Sampled("Sampled.Budget", methods: 1, budget: 8);
        Probe.Hit(module, 0, times: (int)Bound);
        module.OpenWindow(Stopwatch.GetTimestamp());
        Assert.Equal(0, module.LengthClass(0));

        Probe.Hit(module, 0, times: 100);

        Assert.False(module.IsArmed(0));
        module.CloseWindow(Stopwatch.GetTimestamp());
        Assert.Equal(1, module.LengthClass(0));
        var hit = Assert.Single(module.Drain());
        Assert.Equal(Bound + hit.Estimated, hit.Count);
        Assert.True(hit.Estimated > 0);
    }

    [Fact]
    public void A_window_that_uses_little_of_its_budget_makes_the_next_one_longer()
    {
        var module = Sampled("Sampled.Longer", methods: 1, budget: 64);
        Probe.Hit(module, 0, times: (int)Bound);
        module.Drain();
        for (var window = 0; window < 2; window++)
        {
            module.OpenWindow(Stopwatch.GetTimestamp());
            Probe.Hit(module, 0, times: 100);
            module.CloseWindow(Stopwatch.GetTimestamp());
        }

        Assert.Equal(2, module.LengthClass(0));
        module.OpenWindow(Stopwatch.GetTimestamp(), lengthClass: 1);
        Assert.False(module.IsArmed(0));
        module.OpenWindow(Stopwatch.GetTimestamp(), lengthClass: 2);
        Probe.Hit(module, 0, times: 2);
        module.CloseWindow(Stopwatch.GetTimestamp(), lengthClass: 2);

        Assert.Equal(1, module.LengthClass(0));
    }

    [Fact]
    public void Calls_that_pass_the_compare_as_a_budget_runs_out_are_counted_too()
    {
        var module = Sampled("Sampled.Overshoot", methods: 1);
        Probe.Hit(module, 0, times: (int)Bound);

        // Two threads that both read 1 left before either decremented: the word goes to -1, and both calls count.
        var word = (long*)module.ArmedFlags;
        Interlocked.Decrement(ref *word);

        Assert.Equal([new HitCount(module.Keys[0], Bound + 1)], module.Drain());
        Assert.False(module.IsArmed(0));
        Assert.Equal(0, *word);
    }

    [Fact]
    public void A_window_that_sees_no_call_adds_nothing()
    {
        var module = Sampled("Sampled.Quiet", methods: 1);
        Probe.Hit(module, 0, times: (int)Bound);
        module.Drain();

        module.OpenWindow(Stopwatch.GetTimestamp());
        module.CloseWindow(Stopwatch.GetTimestamp() + 10_000);

        Assert.Empty(module.Drain());
        Assert.Empty(module.Drain(sweep: true));
    }

    [Fact]
    public void Parsing_the_mode_accepts_exact_and_sampled_and_reports_anything_else()
    {
        var reports = new List<string>();

        Assert.Same(CountingSettings.Exact, CountingSettings.Parse(" Exact ", reports.Add));
        Assert.Same(CountingSettings.Sampled, CountingSettings.Parse("sampled", reports.Add));
        Assert.Same(CountingSettings.Sampled, CountingSettings.Parse(null, reports.Add));
        Assert.Empty(reports);
        Assert.Same(CountingSettings.Sampled, CountingSettings.Parse("always", reports.Add));
        Assert.Equal(["COLDMOD_COUNTS=always is not a counting mode; use exact or sampled. Counting sampled (exact up to 4096 calls a method)."], reports);
    }

    [Fact]
    public void The_window_call_cost_is_measured_and_small()
    {
        var ticks = ModuleCounters.MeasureWindowCallTicks();

        Assert.InRange(ticks * 1e9 / Stopwatch.Frequency, 0.01, 1_000);
    }

    // Cold is exact under any interleaving: workers call some methods (a few below the bound, most far above it) while
    // a drainer drains and a sampler opens and closes windows as fast as it can. Every called method is reported with
    // at least min(calls, bound) counted one by one and no more than it was called; no uncalled method is ever reported.
    [Fact]
    public void No_called_method_is_cold_and_no_uncalled_one_is_reported_while_threads_race_a_drainer_and_the_sampler()
    {
        const int Methods = 64;
        const int Workers = 3;
        const int Rounds = 20_000;
        const int MaxRounds = 5_000_000;
        const int MinDrains = 50;
        var module = Sampled("Sampled.Race", Methods);
        var calls = new long[Methods];
        var drained = new List<IReadOnlyList<HitCount>>();
        var running = Workers;
        var drains = 0;
        using var start = new Barrier(Workers + 2);

        var drainer = new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 10_000_000 && Volatile.Read(ref running) > 0; i++)
            {
                drained.Add(module.Drain());
                Interlocked.Increment(ref drains);
            }
        });
        var sampler = new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < 10_000_000 && Volatile.Read(ref running) > 0; i++)
            {
                module.OpenWindow(Stopwatch.GetTimestamp());
                Thread.SpinWait(20);
                module.CloseWindow(Stopwatch.GetTimestamp());
            }
        });
        var workers = Enumerable.Range(0, Workers).Select(worker => new Thread(() =>
        {
            var mine = new long[Methods];
            start.SignalAndWait();
            // At least Rounds rounds, and on until the drainer has run a while, however the threads were scheduled.
            for (var round = 0; round < MaxRounds && (round < Rounds || Volatile.Read(ref drains) < MinDrains); round++)
            {
                // Odd methods are never called. Method 2 is called 10 times in all, below the bound; the rest are hot.
                for (var index = 0; index < Methods; index += 2)
                {
                    if (index == 2 && (worker != 0 || round >= 10))
                    {
                        continue;
                    }

                    Probe.Hit(module, index, times: 1);
                    mine[index]++;
                }
            }

            lock (calls)
            {
                for (var index = 0; index < Methods; index++)
                {
                    calls[index] += mine[index];
                }
            }

            Interlocked.Decrement(ref running);
        })).ToList();

        drainer.Start();
        sampler.Start();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        drainer.Join();
        sampler.Join();
        drained.Add(module.Drain(sweep: true));

        var counted = new Dictionary<string, long>();
        var total = new Dictionary<string, long>();
        foreach (var hit in drained.SelectMany(d => d))
        {
            counted[hit.Key] = counted.GetValueOrDefault(hit.Key) + (hit.Count - hit.Estimated);
            total[hit.Key] = total.GetValueOrDefault(hit.Key) + hit.Count;
            Assert.InRange(hit.Estimated, 0, hit.Count);
        }

        Assert.True(drains >= MinDrains, $"the drainer ran {drains} times during the race");
        for (var index = 0; index < Methods; index++)
        {
            var key = module.Keys[index];
            if (calls[index] == 0)
            {
                Assert.False(total.ContainsKey(key), $"{key} was never called but was reported with {total.GetValueOrDefault(key)}");
                continue;
            }

            Assert.InRange(counted.GetValueOrDefault(key), Math.Min(calls[index], Bound), calls[index]);
        }

        Assert.Equal(10, counted[module.Keys[2]]);
        Assert.Equal(10, total[module.Keys[2]]);
    }

    // Not registered, so that the process's own sampler never opens or closes these modules' windows.
    private static ModuleCounters Sampled(string name, int methods, int budget = 64) =>
        new(name, methods, ModuleSrcs.FromKeys(name, FakeKeys.For(name, methods)), new CountingSettings(ExactEverywhere: false, ExactBound: Bound, WindowBudget: budget));
}
