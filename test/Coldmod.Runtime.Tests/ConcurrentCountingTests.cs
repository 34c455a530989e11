using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime.Tests;

public sealed class ConcurrentCountingTests
{
    private const int Workers = 4;
    private const int CallsPerWorker = 2_000_000;
    private const int RareEvery = 1_000;
    private const int SharedIndex = 0;
    private const int RareIndex = Workers + 1;
    private const int MaxDrains = 10_000_000;
    private const int MethodsPerRound = 64;
    private const int CallsPerMethod = 64;
    private const int Rounds = 1_000;
    private const int MaxPacingYields = 100_000;

    [Fact]
    public void Counts_are_exact_while_threads_hit_shared_and_own_methods_and_another_thread_drains()
    {
        var module = FakeWovenModule<Spec>.Module;
        var drained = new List<IReadOnlyList<HitCount>>();
        var workersDone = 0;
        var drainsDuringRun = 0;
        using var start = new Barrier(Workers + 1);

        var drainer = new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < MaxDrains && Volatile.Read(ref workersDone) < Workers; i++)
            {
                drained.Add(module.Drain());
                drainsDuringRun++;
            }
        });
        var workers = Enumerable.Range(0, Workers).Select(worker => new Thread(() =>
        {
            start.SignalAndWait();
            var own = 1 + worker;
            for (var call = 1; call <= CallsPerWorker; call++)
            {
                FakeWovenModule<Spec>.Hit(SharedIndex);
                FakeWovenModule<Spec>.Hit(own);
                if (call % RareEvery == 0)
                {
                    FakeWovenModule<Spec>.Hit(RareIndex);
                }
            }

            Interlocked.Increment(ref workersDone);
        })).ToList();

        drainer.Start();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        drainer.Join();
        drained.Add(module.Drain());
        var totals = DrainedTotals.Of(drained);

        var expected = new Dictionary<string, long>
        {
            [Spec.Keys[SharedIndex]] = (long)Workers * CallsPerWorker,
            [Spec.Keys[RareIndex]] = (long)Workers * CallsPerWorker / RareEvery,
        };
        for (var worker = 0; worker < Workers; worker++)
        {
            expected[Spec.Keys[1 + worker]] = CallsPerWorker;
        }

        Assert.Equal(expected.OrderBy(p => p.Key), totals.ByKey.OrderBy(p => p.Key));
        Assert.True(drainsDuringRun > 1, $"the drainer ran {drainsDuringRun} times alongside the workers");
        Assert.Empty(module.Drain(sweep: true));
    }

    // Every method gets its calls in one round only, so each round's end is a fresh set of last calls that
    // may land while a drain is between reading the counts and resetting the flags: the window in which a
    // wrong ordering loses a method's final calls for good. Workers pace their rounds to the drainer so that
    // rounds and drains interleave, whatever the scheduler does with five threads on few cores.
    [Fact]
    public void Counts_are_exact_for_methods_whose_last_calls_race_a_drain()
    {
        var module = FakeWovenModule<ManyMethods>.Module;
        var drained = new List<IReadOnlyList<HitCount>>();
        var workersDone = 0;
        var drains = 0;
        using var start = new Barrier(Workers + 1);

        var drainer = new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < MaxDrains && Volatile.Read(ref workersDone) < Workers; i++)
            {
                drained.Add(module.Drain());
                Volatile.Write(ref drains, i + 1);
            }
        });
        var workers = Enumerable.Range(0, Workers).Select(worker => new Thread(() =>
        {
            start.SignalAndWait();
            for (var round = 0; round < Rounds; round++)
            {
                for (var wait = 0; wait < MaxPacingYields && Volatile.Read(ref drains) < round; wait++)
                {
                    Thread.Yield();
                }

                for (var method = round * MethodsPerRound; method < (round + 1) * MethodsPerRound; method++)
                {
                    for (var call = 0; call < CallsPerMethod; call++)
                    {
                        FakeWovenModule<ManyMethods>.Hit(method);
                    }
                }
            }

            Interlocked.Increment(ref workersDone);
        })).ToList();

        drainer.Start();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        drainer.Join();
        drained.Add(module.Drain());
        var totals = DrainedTotals.Of(drained);

        Assert.True(drains >= Rounds / 2, $"only {drains} drains ran alongside {Rounds} rounds");
        Assert.Equal(ManyMethods.Keys.Count, totals.ByKey.Count);
        Assert.All(ManyMethods.Keys, key => Assert.Equal((long)Workers * CallsPerMethod, totals[key]));
    }

    private sealed class Spec : IFakeModuleSpec
    {
        public static string Name => nameof(ConcurrentCountingTests);

        // Two more methods than run, which must not appear.
        public static IReadOnlyList<string> Keys { get; } = FakeKeys.For(Name, Workers + 4);
    }

    private sealed class ManyMethods : IFakeModuleSpec
    {
        public static string Name => nameof(ConcurrentCountingTests) + "." + nameof(ManyMethods);

        public static IReadOnlyList<string> Keys { get; } = FakeKeys.For(Name, MethodsPerRound * Rounds);
    }
}
