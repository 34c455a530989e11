namespace Coldmod.Runtime.Internal;

// Exact mode only. Counts are written only by the owning thread; Shadow only by the drainer (under its lock),
// so neither array needs an atomic operation. 64-bit, so that no count wraps before exit even with no drain.
internal sealed class ThreadCounters(int methodCount)
{
    public long[] Counts { get; } = new long[methodCount];

    public long[] Shadow { get; } = new long[methodCount];
}
