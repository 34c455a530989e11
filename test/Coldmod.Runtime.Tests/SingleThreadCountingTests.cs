using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime.Tests;

public sealed class SingleThreadCountingTests
{
    [Fact]
    public void Drain_returns_the_exact_count_of_each_method_hit_and_nothing_for_the_others()
    {
        for (var i = 0; i < 3; i++)
        {
            FakeWovenModule<Exact>.Hit(0);
        }

        for (var i = 0; i < 1_000_000; i++)
        {
            FakeWovenModule<Exact>.Hit(2);
        }

        var hits = FakeWovenModule<Exact>.Module.Drain();

        Assert.Equal(
            [new HitCount(Exact.Keys[0], 3), new HitCount(Exact.Keys[2], 1_000_000)],
            hits.OrderBy(h => h.Key, StringComparer.Ordinal));
    }

    [Fact]
    public void A_second_drain_returns_nothing_when_nothing_ran_in_between()
    {
        FakeWovenModule<DrainTwice>.Hit(1);
        FakeWovenModule<DrainTwice>.Hit(1);
        Assert.Equal([new HitCount(DrainTwice.Keys[1], 2)], FakeWovenModule<DrainTwice>.Module.Drain());

        Assert.Empty(FakeWovenModule<DrainTwice>.Module.Drain());
        Assert.Empty(FakeWovenModule<DrainTwice>.Module.Drain(sweep: true));
    }

    [Fact]
    public void A_method_hit_after_a_drain_is_counted_from_there_and_its_probe_never_goes_quiet_in_exact_mode()
    {
        var module = FakeWovenModule<Requeue>.Module;
        FakeWovenModule<Requeue>.Hit(1);
        module.Drain();
        Assert.True(module.IsArmed(1));

        for (var i = 0; i < 5; i++)
        {
            FakeWovenModule<Requeue>.Hit(1);
        }

        Assert.Equal([new HitCount(Requeue.Keys[1], 5)], module.Drain());
        Assert.True(module.IsArmed(1));
    }

    [Fact]
    public void A_call_made_as_a_drain_finishes_is_counted_by_the_next_drain()
    {
        var module = FakeWovenModule<LateCall>.Module;
        FakeWovenModule<LateCall>.Hit(0);
        module.CountsReadHook = () =>
        {
            module.CountsReadHook = null;
            FakeWovenModule<LateCall>.Hit(0);
        };

        Assert.Equal([new HitCount(LateCall.Keys[0], 1)], module.Drain());
        Assert.Equal([new HitCount(LateCall.Keys[0], 1)], module.Drain());
    }

    [Fact]
    public void A_thread_that_attaches_as_a_drain_finishes_is_counted_by_the_next_drain()
    {
        var module = FakeWovenModule<LateThread>.Module;
        FakeWovenModule<LateThread>.Hit(0);
        module.CountsReadHook = () =>
        {
            module.CountsReadHook = null;
            var late = new Thread(() =>
            {
                FakeWovenModule<LateThread>.Hit(0);
                FakeWovenModule<LateThread>.Hit(1);
            });
            late.Start();
            late.Join();
        };

        Assert.Equal([new HitCount(LateThread.Keys[0], 1)], module.Drain());
        Assert.Equal(
            [new HitCount(LateThread.Keys[0], 1), new HitCount(LateThread.Keys[1], 1)],
            module.Drain().OrderBy(h => h.Key, StringComparer.Ordinal));
    }

    [Fact]
    public unsafe void A_count_past_two_to_the_32_does_not_wrap_when_no_drain_runs()
    {
        var module = FakeWovenModule<Wraparound>.Module;
        FakeWovenModule<Wraparound>.Hit(0);
        module.Drain();

        // As if the probes had made 2^32 - 1 more calls with no drain in between (offline mode drains only at exit).
        *(long*)module.ArmedFlags -= uint.MaxValue;
        for (var i = 0; i < 5; i++)
        {
            FakeWovenModule<Wraparound>.Hit(0);
        }

        Assert.Equal([new HitCount(Wraparound.Keys[0], uint.MaxValue + 5L)], module.Drain(sweep: true));
    }

    [Fact]
    public void Modules_count_separately()
    {
        FakeWovenModule<Exact>.Module.Drain(sweep: true);
        FakeWovenModule<Separate>.Hit(0);

        Assert.Empty(FakeWovenModule<Exact>.Module.Drain(sweep: true));
        Assert.Equal([new HitCount(Separate.Keys[0], 1)], FakeWovenModule<Separate>.Module.Drain());
    }

    private sealed class Exact : IFakeModuleSpec
    {
        public static string Name => nameof(SingleThreadCountingTests) + "." + nameof(Exact);

        public static IReadOnlyList<string> Keys { get; } = FakeKeys.For(Name, 4);
    }

    private sealed class DrainTwice : IFakeModuleSpec
    {
        public static string Name => nameof(SingleThreadCountingTests) + "." + nameof(DrainTwice);

        public static IReadOnlyList<string> Keys { get; } = FakeKeys.For(Name, 2);
    }

    private sealed class Requeue : IFakeModuleSpec
    {
        public static string Name => nameof(SingleThreadCountingTests) + "." + nameof(Requeue);

        public static IReadOnlyList<string> Keys { get; } = FakeKeys.For(Name, 2);
    }

    private sealed class LateCall : IFakeModuleSpec
    {
        public static string Name => nameof(SingleThreadCountingTests) + "." + nameof(LateCall);

        public static IReadOnlyList<string> Keys { get; } = FakeKeys.For(Name, 1);
    }

    private sealed class LateThread : IFakeModuleSpec
    {
        public static string Name => nameof(SingleThreadCountingTests) + "." + nameof(LateThread);

        public static IReadOnlyList<string> Keys { get; } = FakeKeys.For(Name, 2);
    }

    private sealed class Wraparound : IFakeModuleSpec
    {
        public static string Name => nameof(SingleThreadCountingTests) + "." + nameof(Wraparound);

        public static IReadOnlyList<string> Keys { get; } = FakeKeys.For(Name, 1);
    }

    private sealed class Separate : IFakeModuleSpec
    {
        public static string Name => nameof(SingleThreadCountingTests) + "." + nameof(Separate);

        public static IReadOnlyList<string> Keys { get; } = FakeKeys.For(Name, 1);
    }
}
