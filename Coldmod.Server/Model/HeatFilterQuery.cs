using System.Globalization;

namespace Coldmod.Server.Model;

/// <summary>A <see cref="HeatFilter"/> as query parameters: <c>bands=cold,p10&amp;search=text&amp;since=2026-01-31&amp;entry_points=true</c>.</summary>
public static class HeatFilterQuery
{
    /// <summary>The query string (without <c>?</c>) of a filter; parameters at their default are left out.</summary>
    public static string Format(HeatFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var parts = new List<string>();
        if (filter.Bands != BandSet.All)
        {
            var bands = Enum.GetValues<Band>().Where(filter.Shows).Select(b => b.ToString().ToLowerInvariant());
            parts.Add($"bands={string.Join(',', bands)}");
        }

        if (filter.Search.Length > 0)
        {
            parts.Add($"search={Uri.EscapeDataString(filter.Search)}");
        }

        if (filter.NotCalledSince is { } since)
        {
            parts.Add($"since={since.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}");
        }

        if (filter.EntryPointsOnly)
        {
            parts.Add("entry_points=true");
        }

        return string.Join('&', parts);
    }

    /// <summary>Reads the parameters (<c>entry_points</c> is <c>true</c> or <c>false</c>); false with a message saying what is wrong and what is allowed.</summary>
    public static bool TryParse(string? bands, string? search, string? since, string? entryPoints, out HeatFilter filter, out string problem)
    {
        filter = HeatFilter.All;
        problem = "";
        var set = BandSet.All;
        if (bands is not null)
        {
            set = BandSet.None;
            foreach (var name in bands.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!Enum.TryParse<Band>(name, ignoreCase: true, out var band) || !Enum.IsDefined(band) || int.TryParse(name, out _))
                {
                    problem = $"bands: '{name}' is not a band; use a comma-separated list of cold, p10, p20, p40, p90, hot";
                    return false;
                }

                set |= (BandSet)(1 << (int)band);
            }
        }

        DateTimeOffset? notCalledSince = null;
        if (!string.IsNullOrEmpty(since))
        {
            if (!DateTime.TryParseExact(since, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var day))
            {
                problem = $"since: '{since}' is not a date; use YYYY-MM-DD";
                return false;
            }

            notCalledSince = new DateTimeOffset(day, TimeSpan.Zero);
        }

        if (search is { Length: > 1000 })
        {
            problem = "search: longer than 1000 characters";
            return false;
        }

        var entryPointsOnly = false;
        if (!string.IsNullOrEmpty(entryPoints) && !bool.TryParse(entryPoints, out entryPointsOnly))
        {
            problem = $"entry_points: '{entryPoints}' is not true or false";
            return false;
        }

        filter = new HeatFilter(set, search?.Trim() ?? "", notCalledSince, entryPointsOnly);
        return true;
    }
}
