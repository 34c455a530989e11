using System.Reflection;

namespace Coldmod.Runtime.Internal.Polyfills;

// netstandard2.0 only: Interlocked.MemoryBarrierProcessWide (.NET Core 3+), bound once through reflection, so that the
// netstandard2.0 build on .NET Core drains exact-mode counters as the net8.0 build does.
internal static class InterlockedPolyfills
{
    private static readonly Action? s_processWide = Bind();

    extension(Interlocked)
    {
        // Where the runtime lacks it (only runtimes Coldmod does not trace on), a full fence on this thread: a count
        // another thread stored just before the drain may then wait for the method's next drain or the final sweep.
        public static void MemoryBarrierProcessWide()
        {
            if (s_processWide is { } barrier)
            {
                barrier();
            }
            else
            {
                Interlocked.MemoryBarrier();
            }
        }
    }

    private static Action? Bind()
    {
        var method = typeof(Interlocked).GetMethod("MemoryBarrierProcessWide", BindingFlags.Public | BindingFlags.Static, null, Type.EmptyTypes, null);
        return method is null ? null : (Action)Delegate.CreateDelegate(typeof(Action), method);
    }
}
