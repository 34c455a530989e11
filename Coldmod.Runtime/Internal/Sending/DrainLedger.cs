namespace Coldmod.Runtime.Internal.Sending;

// What the sender drained, per key, for the run. Offline export sweeps the counters at exit; once the sender has
// drained them, the sweep alone would miss every count already sent, so the export adds these totals.
// Memory is bounded by the number of keys.
internal static class DrainLedger
{
    private static readonly object s_gate = new();
    private static readonly Dictionary<string, HitCount> s_totals = new(StringComparer.Ordinal);

    public static void Record(IReadOnlyList<HitCount> hits)
    {
        lock (s_gate)
        {
            foreach (var hit in hits)
            {
                s_totals[hit.Key] = s_totals.TryGetValue(hit.Key, out var before) ? HitCount.Sum(before, hit) : hit;
            }
        }
    }

    public static HitCount TotalOf(string key)
    {
        lock (s_gate)
        {
            return s_totals.GetValueOrDefault(key);
        }
    }
}
