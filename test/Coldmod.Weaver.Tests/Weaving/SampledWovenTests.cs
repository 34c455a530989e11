using Coldmod.Runtime;

namespace Coldmod.Weaver.Tests.Weaving;

// The woven corpus counting as an app does by default (here with a bound of 64): exact below the bound, the probe
// quiet above it, and no method that never ran ever reported.
public sealed class SampledWovenTests(SampledCorpus corpus) : IClassFixture<SampledCorpus>
{
    private const string Calls = "Woven.Corpus.Calls";
    private const string AddInts = "Woven.Corpus.Calls.Add(System.Int32,System.Int32)";
    private const string AddLongs = "Woven.Corpus.Calls.Add(System.Int64,System.Int64)";

    [Fact]
    public void A_woven_method_is_counted_exactly_up_to_the_bound_and_then_its_probe_goes_quiet()
    {
        var module = ColdmodModules.Find(corpus.Woven)!;
        var addInts = Index(module, AddInts);
        var addLongs = Index(module, AddLongs);
        Assert.True(module.IsArmed(addInts));

        var counts = corpus.CountCalls(() =>
        {
            for (var i = 0; i < 1_000; i++)
            {
                Reflect.Static(corpus.Woven, Calls, "Add", [typeof(int), typeof(int)], i, 1);
            }

            for (var i = 0; i < 10; i++)
            {
                Reflect.Static(corpus.Woven, Calls, "Add", [typeof(long), typeof(long)], (long)i, 1L);
            }
        });

        Assert.False(module.IsArmed(addInts));
        Assert.True(module.IsArmed(addLongs));
        Assert.Equal(64, counts[AddInts]);
        Assert.Equal(10, counts[AddLongs]);
        Assert.Equal(2, counts.Count);
        Assert.DoesNotContain(module.Drain(sweep: true), hit => hit.Key != AddInts && hit.Key != AddLongs);
    }

    private static int Index(ModuleCounters module, string key)
    {
        var index = module.Keys.ToList().IndexOf(key);
        Assert.True(index >= 0, $"{key} is a src of the woven corpus");
        return index;
    }
}
