using System.Runtime.CompilerServices;
using System.Threading;

namespace Bench;

public static class Target
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int WorkA(int i) => i ^ 0x5bd1e995;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int WorkB(int i) => i + 0x27d4eb2d;

    // The rejected candidate, written by hand: one shared counter per method, incremented atomically.
    private static readonly long[] s_shared = new long[64];

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int WorkShared(int i)
    {
        Interlocked.Increment(ref s_shared[8]);
        return i ^ 0x5bd1e995;
    }

    public static long LoopShared(int n)
    {
        long sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += WorkShared(i);
        }

        return sum;
    }

    public static long LoopA(int n)
    {
        long sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += WorkA(i);
        }

        return sum;
    }

    public static long LoopB(int n)
    {
        long sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += WorkB(i);
        }

        return sum;
    }
}
