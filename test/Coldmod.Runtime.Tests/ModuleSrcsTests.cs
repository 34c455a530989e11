using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime.Tests;

[Collection(nameof(ProcessWideCollection))]
public sealed class ModuleSrcsTests
{
    private const string Alpha = "Coldmod.Runtime.Tests.Fixture.Alpha";
    private const string Beta = "Coldmod.Runtime.Tests.Fixture.Beta(System.Int32)";

    [Fact]
    public void Srcs_are_read_on_the_first_drain_that_has_counts_not_at_registration()
    {
        using var stderr = new StderrCapture();
        var copy = new TestAssemblyCopy();
        try
        {
            var module = ColdmodModules.Register(copy.Assembly, 2);
            Assert.False(module.SrcsLoaded);
            Assert.Empty(module.Drain());
            Assert.False(module.SrcsLoaded);

            Probe.Hit(module, 1, times: 2);

            Assert.Equal([new HitCount(Beta, 2)], module.Drain());
            Assert.True(module.SrcsLoaded);
            Assert.Equal([Alpha, Beta], module.Keys);
            Assert.Equal(new SrcEntry(Beta, "test/Fixture.cs", 7), module.Srcs!.Entries[1]);
            Assert.Empty(stderr.Lines);
        }
        finally
        {
            copy.Unload();
        }
    }

    [Fact]
    public void A_module_without_a_srcs_resource_counts_under_index_keys_and_says_so_once()
    {
        using var stderr = new StderrCapture();
        var module = ColdmodModules.Register(typeof(Assert).Assembly, 3);

        Probe.Hit(module, 1, times: 2);
        Assert.Equal([new HitCount("#1", 2)], module.Drain());
        Probe.Hit(module, 2, times: 1);
        Assert.Equal([new HitCount("#2", 1)], module.Drain());

        Assert.Equal(["#0", "#1", "#2"], module.Keys);
        Assert.Null(module.Srcs);
        var report = Assert.Single(stderr.Lines);
        Assert.Equal("coldmod: module xunit.assert: it has no Coldmod.Srcs resource; its counts are reported under #index keys.", report);
    }

    [Fact]
    public void A_table_of_a_newer_format_is_reported_with_the_module_and_what_to_do_and_counting_goes_on()
    {
        using var stderr = new StderrCapture();
        var module = FakeSrcsAssembly.Module(new FakeSrcsAssembly("Plugin", [SrcsTable.Format + 1, 0x63, 0x00]), 2);

        Probe.Hit(module, 1, times: 3);

        Assert.Equal([new HitCount("#1", 3)], module.Drain());
        Assert.Null(module.Srcs);
        Assert.Equal(
            "coldmod: module Plugin: its Coldmod.Srcs resource cannot be read (Coldmod.Srcs table format 4 is newer than this "
            + "Coldmod.Runtime reads (formats 1 to 3): the assembly was woven by a newer Coldmod. Reference the Coldmod package "
            + "version that wove it (or newer) from the app.); its counts are reported under #index keys.",
            Assert.Single(stderr.Lines));
    }

    [Fact]
    public void A_srcs_resource_that_does_not_match_the_probe_count_is_not_trusted()
    {
        using var stderr = new StderrCapture();
        var copy = new TestAssemblyCopy();
        try
        {
            var module = ColdmodModules.Register(copy.Assembly, 5);
            Probe.Hit(module, 4, times: 1);

            Assert.Equal([new HitCount("#4", 1)], module.Drain());
            Assert.Equal(["#0", "#1", "#2", "#3", "#4"], module.Keys);
            var report = Assert.Single(stderr.Lines);
            Assert.Contains("module Coldmod.Runtime.Tests: its Coldmod.Srcs resource lists 2 srcs but it has 5 probes", report, StringComparison.Ordinal);
        }
        finally
        {
            copy.Unload();
        }
    }

    [Fact]
    public void Registration_never_throws_into_the_app()
    {
        using var stderr = new StderrCapture();

        var unnamed = ColdmodModules.Register(null!, 2);
        var negative = ColdmodModules.Register(typeof(Assert).Assembly, -1);

        Probe.Hit(unnamed, 0, times: 1);
        Assert.Equal([new HitCount("#0", 1)], unnamed.Drain());
        Assert.Equal("(unnamed)", unnamed.Name);
        Assert.Equal(0, negative.MethodCount);
        Probe.Hit(negative, 0, times: 1);
        Assert.Empty(negative.Drain(sweep: true));
        Assert.Contains(stderr.Lines, line => line.StartsWith("coldmod: module (unnamed): ", StringComparison.Ordinal));
    }
}
