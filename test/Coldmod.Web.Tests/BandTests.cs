using Coldmod.Server.Model;
using static Coldmod.Web.Tests.Entries;

namespace Coldmod.Web.Tests;

// Two cold srcs and ten called ones with counts 1..10: P10 is {1}, P20 {2}, P40 {3, 4}, P90 {5 … 9}, HOT {10}.
public sealed class BandTests
{
    private static readonly HeatEntry[] s_ladder = Counts(0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);

    private static HeatFilter Only(params Band[] bands) =>
        HeatFilter.All with { Bands = bands.Aggregate(BandSet.None, (set, band) => set | (BandSet)(1 << (int)band)) };

    [Fact]
    public void Each_count_of_the_ladder_has_the_band_of_its_percentile()
    {
        var scale = BandScale.Of(s_ladder.Select(e => e.Count));

        Assert.Equal(
            [Band.Cold, Band.Cold, Band.P10, Band.P20, Band.P40, Band.P40, Band.P90, Band.P90, Band.P90, Band.P90, Band.P90, Band.Hot],
            s_ladder.Select(e => scale.Of(e.Count)));
    }

    [Fact]
    public void All_bands_off_shows_nothing() => Assert.Empty(Shown(HeatFilter.All with { Bands = BandSet.None }, s_ladder));

    [Fact]
    public void All_bands_on_shows_everything() => Assert.Equal(12, Shown(HeatFilter.All, s_ladder).Length);

    [Fact]
    public void All_on_except_cold_shows_every_called_src() =>
        Assert.Equal(["M1a", "M2a", "M3a", "M4a", "M5a", "M6a", "M7a", "M8a", "M9a", "M10a"], Shown(HeatFilter.All.Toggle(Band.Cold), s_ladder));

    [Fact]
    public void Only_cold_shows_the_srcs_never_called() => Assert.Equal(["M0a", "M0b"], Shown(Only(Band.Cold), s_ladder));

    [Fact]
    public void Cold_and_p10_show_the_cold_and_the_coolest_tenth() =>
        Assert.Equal(["M0a", "M0b", "M1a"], Shown(Only(Band.Cold, Band.P10), s_ladder));

    [Fact]
    public void P40_to_hot_shows_the_upper_bands() =>
        Assert.Equal(["M3a", "M4a", "M5a", "M6a", "M7a", "M8a", "M9a", "M10a"], Shown(Only(Band.P40, Band.P90, Band.Hot), s_ladder));

    [Fact]
    public void P90_and_hot_show_from_the_40th_percentile_up() =>
        Assert.Equal(["M5a", "M6a", "M7a", "M8a", "M9a", "M10a"], Shown(Only(Band.P90, Band.Hot), s_ladder));

    [Fact]
    public void Equal_counts_at_a_band_boundary_share_the_lowest_band_they_reach()
    {
        // Ten called srcs: the 1s span the 10% and 20% cuts, the 5s (30% to 60%) the 40% cut, the 9s the 90% cut.
        var entries = Counts(1, 1, 1, 5, 5, 5, 9, 9, 9, 9);
        var scale = BandScale.Of(entries.Select(e => e.Count));

        Assert.Equal((Band.P10, Band.P40, Band.P90), (scale.Of(1), scale.Of(5), scale.Of(9)));
        Assert.Equal(["M1a", "M1b", "M1c"], Shown(Only(Band.P10), entries));
        Assert.Equal(["M5a", "M5b", "M5c"], Shown(Only(Band.P40), entries));
        Assert.Empty(Shown(Only(Band.P20, Band.Hot), entries));
    }

    [Fact]
    public void One_count_shared_by_every_called_src_is_p10()
    {
        var scale = BandScale.Of([7, 7, 7, 0]);

        Assert.Equal((Band.Cold, Band.P10), (scale.Of(0), scale.Of(7)));
    }

    [Fact]
    public void A_heatmap_with_nothing_called_is_all_cold() =>
        Assert.Equal(["M0a", "M0b"], Shown(Only(Band.Cold), Counts(0, 0)));

    [Fact]
    public void A_src_moving_from_p10_to_p20_leaves_a_p10_view_live()
    {
        var before = s_ladder;
        // M1 goes from 1 to 3 calls: M2 becomes the lowest tenth, and M1 ties with M3 in the next.
        var after = Replace(before, "M1a", 3);

        Assert.Equal(["M1a"], Shown(Only(Band.P10), before));
        Assert.Equal(["M2a"], Shown(Only(Band.P10), after));
        Assert.Equal(["M1a", "M3a"], Shown(Only(Band.P20), after));
    }

    [Fact]
    public void A_cold_src_called_for_the_first_time_moves_from_cold_to_p10()
    {
        var after = Replace(s_ladder, "M0a", 1);

        Assert.Equal(["M0a", "M0b"], Shown(Only(Band.Cold), s_ladder));
        Assert.Equal(["M0b"], Shown(Only(Band.Cold), after));
        Assert.Equal(["M0a", "M1a"], Shown(Only(Band.P10), after));
    }

    [Fact]
    public void A_src_passing_every_other_count_moves_from_p90_to_hot_while_hot_is_shown()
    {
        var hot = Only(Band.Hot);
        var after = Replace(s_ladder, "M9a", 11);

        Assert.Equal(["M10a"], Shown(hot, s_ladder));
        Assert.Equal(["M9a"], Shown(hot, after));
        Assert.Contains("M10a", Shown(Only(Band.P90), after));
    }

    private static HeatEntry[] Replace(HeatEntry[] entries, string suffix, long count) =>
        [.. entries.Select(e => e.Key.EndsWith("." + suffix, StringComparison.Ordinal) ? e with { Count = count } : e)];
}
