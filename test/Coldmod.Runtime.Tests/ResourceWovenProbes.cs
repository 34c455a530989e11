using System.Runtime.CompilerServices;

namespace Coldmod.Runtime.Tests;

// Exactly what the weaver emits, registering this test assembly, whose Coldmod.Srcs resource
// (Fixtures/srcs.json) names its two probes.
internal static unsafe class ResourceWovenProbes
{
    internal static readonly ModuleCounters Module = ColdmodModules.Register(typeof(ResourceWovenProbes).Assembly, 2);
    internal static readonly nint Armed = Module.ArmedFlags;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void Hit(int index)
    {
        var word = (long*)Armed + index;
        if (*word > 0)
        {
            Interlocked.Decrement(ref *word);
        }
    }
}
