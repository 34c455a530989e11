using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Coldmod.Runtime.Tests;

// Exactly what the weaver emits, registering this test assembly, whose Coldmod.Srcs resource
// (Fixtures/srcs.json) names its two probes.
internal static class ResourceWovenProbes
{
    internal static readonly ModuleCounters Module = ColdmodModules.Register(typeof(ResourceWovenProbes).Assembly, 2);
    internal static readonly nint Armed = Module.ArmedFlags;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Hit(int index)
    {
        if (Marshal.ReadInt32(Armed, index * sizeof(int)) != 0)
        {
            Count(index);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Count(int index) => Module.Hit(index);
}
