using System.Runtime.CompilerServices;

namespace Coldmod.Runtime.Tests;

// The probe class the weaver emits, written out by hand. It is generic over a spec only so that each test
// gets a module of its own (every closed type has its own statics); the body is
// the woven one (in C#), apart from registering by keys instead of by a woven assembly.
internal static class FakeWovenModule<TSpec>
    where TSpec : IFakeModuleSpec
{
    internal static readonly ModuleCounters Module = ColdmodModules.Register(TSpec.Name, TSpec.Keys);
    internal static readonly nint Armed = Module.ArmedFlags;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe void Hit(int index)
    {
        var word = (long*)Armed + index;
        if (*word > 0)
        {
            Interlocked.Decrement(ref *word);
        }
    }
}
