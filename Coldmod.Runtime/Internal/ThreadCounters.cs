namespace Coldmod.Runtime.Internal;

// Counts are written only by the owning thread; Shadow only by the drainer (under its lock),
// so neither array needs an atomic operation.
internal sealed class ThreadCounters(int methodCount)
{
    public int[] Counts { get; } = new int[methodCount];

    public int[] Shadow { get; } = new int[methodCount];
}
