using System.Runtime.CompilerServices;

namespace Coldmod.Runtime.Tests;

// Exactly what the weaver emits, registering this test assembly, whose Coldmod.Srcs resource
// (Fixtures/srcs.json) names its two probes.
internal static class ResourceWovenProbes
{
    internal static readonly ModuleCounters Module = ColdmodModules.Register(typeof(ResourceWovenProbes).Assembly, 2);
    internal static readonly int[] Dirty = Module.DirtyFlags;

    [ThreadStatic]
    internal static int[]? Counts;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Hit(int index)
    {
        var counts = Counts;
        if (counts == null)
        {
            counts = Attach();
        }

        counts[index]++;
        if (Dirty[index] == 0)
        {
            Module.MarkDirty(index);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int[] Attach()
    {
        var counts = Module.AttachThread();
        Counts = counts;
        return counts;
    }
}
