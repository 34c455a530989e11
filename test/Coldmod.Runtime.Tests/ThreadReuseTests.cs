namespace Coldmod.Runtime.Tests;

public sealed class ThreadReuseTests
{
    private const int Threads = 200;
    private const int CallsPerThread = 3;

    [Fact]
    public void Arrays_of_dead_threads_are_reused_and_their_pending_counts_are_not_lost()
    {
        var module = FakeWovenModule<ShortLived>.Module;
        var totals = new DrainedTotals();

        for (var i = 0; i < Threads; i++)
        {
            var index = i % ShortLived.Keys.Count;
            var thread = new Thread(() =>
            {
                for (var call = 0; call < CallsPerThread; call++)
                {
                    FakeWovenModule<ShortLived>.Hit(index);
                }
            });
            thread.Start();
            thread.Join();

            // The dead thread's sentinel is finalized only after a collection; only then can its array be reused.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            if (i % 50 == 49)
            {
                totals.Add(module.Drain());
            }
        }

        totals.Add(module.Drain());

        Assert.InRange(module.ThreadArrayCount, 1, Threads / 20);
        var callsPerMethod = (long)Threads / ShortLived.Keys.Count * CallsPerThread;
        Assert.All(ShortLived.Keys, key => Assert.Equal(callsPerMethod, totals[key]));
    }

    [Fact]
    public void A_live_thread_keeps_its_array_to_itself()
    {
        var module = FakeWovenModule<LongLived>.Module;
        using var attached = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var holder = new Thread(() =>
        {
            FakeWovenModule<LongLived>.Hit(0);
            attached.Set();
            release.Wait(TimeSpan.FromSeconds(30));
        });
        holder.Start();
        attached.Wait(TimeSpan.FromSeconds(30));

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long[]? other = null;
        var newcomer = new Thread(() => other = FakeWovenModule<LongLived>.Module.AttachThread().Counts);
        newcomer.Start();
        newcomer.Join();
        release.Set();
        holder.Join();

        Assert.Equal(2, module.ThreadArrayCount);
        Assert.NotNull(other);
        Assert.Equal(0, other[0]);
    }

    private sealed class ShortLived : IFakeModuleSpec
    {
        public static string Name => nameof(ThreadReuseTests) + "." + nameof(ShortLived);

        public static IReadOnlyList<string> Keys { get; } = FakeKeys.For(Name, 4);
    }

    private sealed class LongLived : IFakeModuleSpec
    {
        public static string Name => nameof(ThreadReuseTests) + "." + nameof(LongLived);

        public static IReadOnlyList<string> Keys { get; } = FakeKeys.For(Name, 1);
    }
}
