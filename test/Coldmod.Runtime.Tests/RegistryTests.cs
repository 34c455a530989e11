using System.Runtime.CompilerServices;
using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime.Tests;

[Collection(nameof(ProcessWideCollection))]
public sealed class RegistryTests
{
    private const string Alpha = "Coldmod.Runtime.Tests.Fixture.Alpha";
    private const string Beta = "Coldmod.Runtime.Tests.Fixture.Beta(System.Int32)";
    private const int MaxCollections = 20;

    [Fact]
    public void A_woven_assembly_registers_itself_and_is_found_by_its_assembly()
    {
        ResourceWovenProbes.Hit(1);

        var module = ColdmodModules.Find(typeof(ResourceWovenProbes).Assembly);

        Assert.NotNull(module);
        Assert.Same(ResourceWovenProbes.Module, module);
        Assert.Contains(module, ColdmodModules.Modules);
        Assert.Equal("Coldmod.Runtime.Tests", module.Name);
        Assert.Equal(2, module.MethodCount);
        Assert.Contains(new HitCount(Beta, 1), module.Drain());
    }

    [Fact]
    public void Find_returns_nothing_for_an_assembly_that_was_never_registered()
    {
        Assert.Null(ColdmodModules.Find(typeof(FactAttribute).Assembly));
    }

    [Fact]
    public void Each_loaded_copy_of_an_assembly_is_its_own_module_and_DrainAll_adds_them_up_by_key()
    {
        ColdmodModules.DrainAll(sweep: true);
        var copy = new TestAssemblyCopy();
        try
        {
            ResourceWovenProbes.Hit(0);
            ResourceWovenProbes.Hit(0);
            for (var i = 0; i < 3; i++)
            {
                copy.HitResourceWovenProbe(0);
            }

            copy.HitResourceWovenProbe(1);

            var original = ColdmodModules.Find(typeof(ResourceWovenProbes).Assembly);
            var second = ColdmodModules.Find(copy.Assembly);
            Assert.NotNull(second);
            Assert.NotSame(original, second);
            Assert.Equal(original!.Name, second.Name);
            Assert.Equal(
                [new HitCount(Alpha, 5), new HitCount(Beta, 1)],
                ColdmodModules.DrainAll().OrderBy(h => h.Key, StringComparer.Ordinal));
            Assert.Empty(ColdmodModules.DrainAll(sweep: true));
        }
        finally
        {
            copy.Unload();
        }
    }

    [Fact]
    public void A_module_does_not_keep_its_collectible_assembly_alive_and_keeps_its_keys_and_counts_after_unload()
    {
        var (module, context) = HitInACopyAndUnload(calls: 4);

        for (var i = 0; i < MaxCollections && context.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.False(context.IsAlive);
        Assert.True(module.SrcsLoaded);
        Assert.Equal([new HitCount(Beta, 4)], module.Drain());
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static (ModuleCounters Module, WeakReference Context) HitInACopyAndUnload(int calls)
    {
        var copy = new TestAssemblyCopy();
        for (var i = 0; i < calls; i++)
        {
            copy.HitResourceWovenProbe(1);
        }

        var module = ColdmodModules.Find(copy.Assembly)!;
        Assert.False(module.SrcsLoaded);
        return (module, copy.Unload());
    }
}
