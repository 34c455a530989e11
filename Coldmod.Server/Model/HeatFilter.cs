namespace Coldmod.Server.Model;

/// <summary>What the viewer chose to see: bands, a search over key, file and label, "not called since" and entry points only.</summary>
/// <param name="Bands">The bands shown; <see cref="BandSet.None"/> shows nothing.</param>
/// <param name="Search">Case-insensitive text that the key, the file or the entry-point label contains; empty matches all.</param>
/// <param name="NotCalledSince">When set, only srcs never called or last called before this instant.</param>
/// <param name="EntryPointsOnly">When set, only srcs with an entry-point label.</param>
public sealed record HeatFilter(BandSet Bands, string Search, DateTimeOffset? NotCalledSince, bool EntryPointsOnly = false)
{
    /// <summary>Everything.</summary>
    public static HeatFilter All { get; } = new(BandSet.All, "", null);

    /// <summary>The filter with one band toggled.</summary>
    public HeatFilter Toggle(Band band) => this with { Bands = Bands ^ Bit(band) };

    /// <summary>Whether a band is shown.</summary>
    public bool Shows(Band band) => (Bands & Bit(band)) != 0;

    /// <summary>Whether an entry passes, with its band taken from <paramref name="scale"/>.</summary>
    public bool Matches(HeatEntry entry, BandScale scale)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(scale);
        if (!Shows(scale.Of(entry.Count)))
        {
            return false;
        }

        if (EntryPointsOnly && !entry.IsEntryPoint)
        {
            return false;
        }

        if (NotCalledSince is { } since && entry.LastSeen is { } last && last >= since)
        {
            return false;
        }

        return Search.Length == 0
            || entry.Key.Contains(Search, StringComparison.OrdinalIgnoreCase)
            || entry.File.Contains(Search, StringComparison.OrdinalIgnoreCase)
            || entry.Label.Contains(Search, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The entries that pass, in their original order.</summary>
    public IReadOnlyList<HeatEntry> Apply(IReadOnlyList<HeatEntry> entries, BandScale scale)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (Bands == BandSet.All && Search.Length == 0 && NotCalledSince is null && !EntryPointsOnly)
        {
            return entries;
        }

        var shown = new List<HeatEntry>();
        foreach (var entry in entries)
        {
            if (Matches(entry, scale))
            {
                shown.Add(entry);
            }
        }

        return shown;
    }

    private static BandSet Bit(Band band) => (BandSet)(1 << (int)band);
}
