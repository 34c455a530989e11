using System.Runtime.CompilerServices;

namespace Coldmod.Runtime.Tests;

// The probe class the weaver emits, written out by hand. It is generic over a spec only so that each test
// gets a module of its own (every closed type has its own statics, thread statics included); the body is
// the woven one, apart from registering by keys instead of by a woven assembly.
internal static class FakeWovenModule<TSpec>
    where TSpec : IFakeModuleSpec
{
    internal static readonly ModuleCounters Module = ColdmodModules.Register(TSpec.Name, TSpec.Keys);
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
