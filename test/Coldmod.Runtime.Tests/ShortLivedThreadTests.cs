namespace Coldmod.Runtime.Tests;

// Counts live in the module, not in the threads that made them: a thread that ends leaves nothing behind, and
// takes none of its calls with it.
public sealed class ShortLivedThreadTests
{
    private const int Threads = 200;
    private const int CallsPerThread = 3;

    [Fact]
    public void The_calls_of_threads_that_ended_before_the_drain_are_all_counted()
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
            if (i % 50 == 49)
            {
                totals.Add(module.Drain());
            }
        }

        totals.Add(module.Drain());

        var callsPerMethod = (long)Threads / ShortLived.Keys.Count * CallsPerThread;
        Assert.All(ShortLived.Keys, key => Assert.Equal(callsPerMethod, totals[key]));
    }

    private sealed class ShortLived : IFakeModuleSpec
    {
        public static string Name => nameof(ShortLivedThreadTests) + "." + nameof(ShortLived);

        public static IReadOnlyList<string> Keys { get; } = FakeKeys.For(Name, 4);
    }
}
