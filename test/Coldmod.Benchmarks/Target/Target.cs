using System.Runtime.CompilerServices;

namespace Bench;

public static class Target
{
    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int WorkA(int i) => i ^ 0x5bd1e995;

    [MethodImpl(MethodImplOptions.NoInlining)]
    public static int WorkB(int i) => i + 0x27d4eb2d;

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
