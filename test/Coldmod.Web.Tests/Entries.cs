using Coldmod.Server.Model;

namespace Coldmod.Web.Tests;

internal static class Entries
{
    public static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static HeatEntry Entry(string key, long count, string file = "src/Shop/Orders.cs", DateTimeOffset? lastSeen = null, string label = "") =>
        new(key, file, 10, count, count > 0 ? Start : null, count > 0 ? lastSeen ?? Start : null, Start, label);

    // Keys named after their counts: "M0a", "M0b", "M1" … "M10".
    public static HeatEntry[] Counts(params long[] counts)
    {
        var seen = new Dictionary<long, int>();
        return [.. counts.Select(c =>
        {
            seen[c] = seen.GetValueOrDefault(c) + 1;
            return Entry($"Shop.T.M{c}{(char)('a' + seen[c] - 1)}", c);
        })];
    }

    public static string[] Shown(HeatFilter filter, IReadOnlyList<HeatEntry> entries) =>
        [.. filter.Apply(entries, BandScale.Of(entries.Select(e => e.Count))).Select(e => e.Key[7..])];
}
