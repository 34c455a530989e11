using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime.Tests;

// What a woven module's static constructor does since probe format 3: it hands the runtime references to its first and
// last probe word. A runtime that counted into words the probes do not use would report methods that ran as cold.
[Collection(nameof(ProcessWideCollection))]
public sealed class ProbeWordsRegistrationTests
{
    private static readonly long[] s_words = new long[3];

    [Fact]
    public void Words_that_are_not_contiguous_leave_the_module_untraced_and_say_why()
    {
        var assembly = new FakeSrcsAssembly("Coldmod.Tests.ScatteredWords", null);
        using var stderr = new StderrCapture();

        var module = ColdmodModules.Register(assembly, 3, () => ref s_words[0], () => ref s_words[1]);

        Assert.DoesNotContain(module, ColdmodModules.Modules);
        Assert.False(module.IsArmed(0));
        Assert.Equal([0L, 0L, 0L], s_words);
        var line = Assert.Single(stderr.Lines);
        Assert.Contains("Coldmod.Tests.ScatteredWords is not traced", line, StringComparison.Ordinal);
        Assert.Contains("over 8 bytes, not 16", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Contiguous_words_are_armed_and_counted_through_the_references_even_when_they_move()
    {
        // An array, so that the GC may move the words as it moves a collectible module's statics.
        var words = new long[2];
        using var table = new MemoryStream();
        new SrcsTable([new SrcEntry("Moving.First", "src/Moving.cs", 1, null), new SrcEntry("Moving.Second", "src/Moving.cs", 2, null)]).WriteTo(table);
        var assembly = new FakeSrcsAssembly("Coldmod.Tests.MovingWords", table.ToArray());
        var counting = CountingSettings.ForThisThread;
        CountingSettings.ForThisThread = CountingSettings.Exact;
        ModuleCounters module;
        try
        {
            module = ColdmodModules.Register(assembly, 2, () => ref words[0], () => ref words[1]);
        }
        finally
        {
            CountingSettings.ForThisThread = counting;
        }

        Assert.Contains(module, ColdmodModules.Modules);
        Assert.True(module.CountsEveryCall);
        var armed = words[0];
        Assert.True(armed > 1_000_000, $"the word was armed with {armed}");
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        words[1]--;
        words[1]--;

        Assert.True(module.IsArmed(1));
        Assert.Equal(armed - 2, words[1]);
        Assert.Equal(armed, words[0]);
        Assert.Equal([new HitCount("Moving.Second", 2)], module.Drain(sweep: true));
        GC.KeepAlive(assembly);
    }
}
