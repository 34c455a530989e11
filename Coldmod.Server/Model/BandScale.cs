namespace Coldmod.Server.Model;

/// <summary>
/// The percentile cut points of one heatmap's non-zero counts. A count's band is decided by how many
/// non-zero counts are strictly below it, so equal counts always share a band, and a run of equal counts
/// that straddles a cut point falls in the lowest band it reaches.
/// </summary>
public sealed class BandScale
{
    // Lower percentile bound of P20, P40, P90 and HOT.
    private static readonly double[] s_cuts = [0.10, 0.20, 0.40, 0.90];

    // A count is in band P20 or above when it is greater than _ceilings[0], and so on.
    private readonly long[] _ceilings;

    private BandScale(long[] ceilings, int called)
    {
        _ceilings = ceilings;
        Called = called;
    }

    /// <summary>A scale with no called src: every non-zero count is <see cref="Band.P10"/>.</summary>
    public static BandScale Empty { get; } = new([long.MaxValue, long.MaxValue, long.MaxValue, long.MaxValue], 0);

    /// <summary>How many non-zero counts the scale was made from.</summary>
    public int Called { get; }

    /// <summary>Makes the scale of these counts (zeros are ignored).</summary>
    public static BandScale Of(IEnumerable<long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        var called = counts.Where(c => c > 0).ToArray();
        Array.Sort(called);
        return Sorted(called);
    }

    // Sorts the buffer in place and makes the scale of its non-zero counts: the live view refills one buffer per
    // update instead of allocating a copy of every count.
    internal static BandScale OfBuffer(long[] counts)
    {
        Array.Sort(counts);
        var firstCalled = 0;
        while (firstCalled < counts.Length && counts[firstCalled] <= 0)
        {
            firstCalled++;
        }

        return Sorted(counts.AsSpan(firstCalled));
    }

    private static BandScale Sorted(ReadOnlySpan<long> called)
    {
        if (called.Length == 0)
        {
            return Empty;
        }

        var ceilings = new long[s_cuts.Length];
        for (var i = 0; i < s_cuts.Length; i++)
        {
            // The band starts at the first count with at least `below` counts under it.
            var below = (int)Math.Ceiling(s_cuts[i] * called.Length);
            ceilings[i] = below == 0 ? 0 : called[below - 1];
        }

        return new BandScale(ceilings, called.Length);
    }

    /// <summary>The band of one count.</summary>
    public Band Of(long count)
    {
        if (count <= 0)
        {
            return Band.Cold;
        }

        var band = Band.P10;
        foreach (var ceiling in _ceilings)
        {
            if (count <= ceiling)
            {
                break;
            }

            band++;
        }

        return band;
    }
}
