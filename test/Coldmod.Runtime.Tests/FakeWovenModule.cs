using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Coldmod.Runtime.Tests;

// The probe class the weaver emits, written out by hand. It is generic over a spec only so that each test
// gets a module of its own (every closed type has its own statics, thread statics included); the body is
// the woven one (in C#, with the flag read through Marshal instead of a pointer), apart from registering by keys instead of by a woven assembly.
internal static class FakeWovenModule<TSpec>
    where TSpec : IFakeModuleSpec
{
    internal static readonly ModuleCounters Module = ColdmodModules.Register(TSpec.Name, TSpec.Keys);
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
