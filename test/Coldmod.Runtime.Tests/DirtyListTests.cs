using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime.Tests;

public sealed class DirtyListTests
{
    private const int MaxDrains = 1_000_000;

    [Fact]
    public void A_method_hit_many_times_is_queued_once()
    {
        var module = FakeWovenModule<Few>.Module;
        for (var call = 0; call < 100_000; call++)
        {
            FakeWovenModule<Few>.Hit(call % 3);
        }

        Assert.Equal(3, module.DirtyQueueDepth);
        Assert.Equal([1, 1, 1, 0, 0, 0, 0, 0], module.DirtyFlags);
    }

    [Fact]
    public void MarkDirty_does_not_queue_a_method_whose_flag_is_already_set()
    {
        var module = FakeWovenModule<Flags>.Module;
        FakeWovenModule<Flags>.Hit(1);
        Assert.Equal(1, module.DirtyFlags[1]);
        Assert.Equal(1, module.DirtyQueueDepth);

        module.MarkDirty(1);
        FakeWovenModule<Flags>.Hit(1);

        Assert.Equal(1, module.DirtyQueueDepth);
        Assert.Equal([new HitCount(Flags.Keys[1], 2)], module.Drain());
        Assert.Equal(0, module.DirtyFlags[1]);
        Assert.Equal(0, module.DirtyQueueDepth);
    }

    [Fact]
    public void MarkDirty_ignores_an_index_outside_the_module()
    {
        var module = FakeWovenModule<Flags>.Module;
        module.Drain();

        module.MarkDirty(-1);
        module.MarkDirty(Flags.Keys.Count);

        Assert.Equal(0, module.DirtyQueueDepth);
        Assert.Empty(module.Drain(sweep: true));
    }

    [Fact]
    public void The_queue_never_holds_more_entries_than_the_module_has_methods_while_threads_hit_and_a_drainer_drains()
    {
        const int workers = 3;
        const int callsPerWorker = 1_000_000;
        var module = FakeWovenModule<Contended>.Module;
        var methodCount = Contended.Keys.Count;
        var drained = new List<IReadOnlyList<HitCount>>();
        var deepest = 0;
        var workersDone = 0;
        using var start = new Barrier(workers + 1);

        var drainer = new Thread(() =>
        {
            start.SignalAndWait();
            for (var i = 0; i < MaxDrains && Volatile.Read(ref workersDone) < workers; i++)
            {
                deepest = Math.Max(deepest, module.DirtyQueueDepth);
                drained.Add(module.Drain());
            }
        });
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            for (var call = 0; call < callsPerWorker; call++)
            {
                FakeWovenModule<Contended>.Hit(call % methodCount);
            }

            Interlocked.Increment(ref workersDone);
        })).ToList();

        drainer.Start();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        drainer.Join();
        drained.Add(module.Drain());

        Assert.InRange(deepest, 0, methodCount);
        Assert.InRange(module.MaxDirtyQueueDepth, 1, methodCount);
        var totals = DrainedTotals.Of(drained);
        Assert.All(Contended.Keys, key => Assert.Equal((long)workers * callsPerWorker / methodCount, totals[key]));
    }

    private sealed class Few : IFakeModuleSpec
    {
        public static string Name => nameof(DirtyListTests) + "." + nameof(Few);

        public static IReadOnlyList<string> Keys { get; } = FakeKeys.For(Name, 8);
    }

    private sealed class Flags : IFakeModuleSpec
    {
        public static string Name => nameof(DirtyListTests) + "." + nameof(Flags);

        public static IReadOnlyList<string> Keys { get; } = FakeKeys.For(Name, 2);
    }

    private sealed class Contended : IFakeModuleSpec
    {
        public static string Name => nameof(DirtyListTests) + "." + nameof(Contended);

        public static IReadOnlyList<string> Keys { get; } = FakeKeys.For(Name, 4);
    }
}
