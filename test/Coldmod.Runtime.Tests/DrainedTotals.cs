using Coldmod.Runtime.Internal;

namespace Coldmod.Runtime.Tests;

// Adds up the hits of successive drains per key, as the sender would.
internal sealed class DrainedTotals
{
    private readonly Dictionary<string, long> _totals = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, long> ByKey => _totals;

    public long this[string key] => _totals.GetValueOrDefault(key);

    public static DrainedTotals Of(IEnumerable<IReadOnlyList<HitCount>> drains)
    {
        var totals = new DrainedTotals();
        foreach (var hits in drains)
        {
            totals.Add(hits);
        }

        return totals;
    }

    public void Add(IReadOnlyList<HitCount> hits)
    {
        foreach (var hit in hits)
        {
            _totals[hit.Key] = this[hit.Key] + hit.Count;
        }
    }
}
