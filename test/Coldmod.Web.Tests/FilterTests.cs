using Coldmod.Server.Model;
using static Coldmod.Web.Tests.Entries;

namespace Coldmod.Web.Tests;

public sealed class FilterTests
{
    private static readonly HeatEntry[] s_entries =
    [
        Entry("Shop.Orders.OrderService.Cancel(System.Int32)", 0, "src/Orders/OrderService.cs"),
        Entry("Shop.Orders.OrderService.Place", 5, "src/Orders/OrderService.cs", Start.AddDays(3)),
        Entry("Shop.Billing.Invoice.Print", 2, "src/Billing/Invoice.cs", Start.AddDays(1)),
        Entry("Shop.Legacy.Importer.Run", 0, "src/Legacy/Importer.cs"),
    ];

    private static string[] Keys(HeatFilter filter) =>
        [.. filter.Apply(s_entries, BandScale.Of(s_entries.Select(e => e.Count))).Select(e => e.Key)];

    [Fact]
    public void Search_matches_the_key_or_the_file_ignoring_case()
    {
        Assert.Equal(["Shop.Orders.OrderService.Cancel(System.Int32)", "Shop.Orders.OrderService.Place"], Keys(HeatFilter.All with { Search = "orderservice" }));
        Assert.Equal(["Shop.Legacy.Importer.Run"], Keys(HeatFilter.All with { Search = "LEGACY/" }));
        Assert.Equal(["Shop.Orders.OrderService.Cancel(System.Int32)"], Keys(HeatFilter.All with { Search = "int32" }));
    }

    [Fact]
    public void Not_called_since_keeps_the_cold_and_those_last_called_before_the_date() =>
        Assert.Equal(
            ["Shop.Orders.OrderService.Cancel(System.Int32)", "Shop.Billing.Invoice.Print", "Shop.Legacy.Importer.Run"],
            Keys(HeatFilter.All with { NotCalledSince = Start.AddDays(2) }));

    [Fact]
    public void Bands_search_and_date_combine()
    {
        var filter = new HeatFilter(BandSet.All & ~BandSet.Cold, "shop", Start.AddDays(2));

        Assert.Equal(["Shop.Billing.Invoice.Print"], Keys(filter));
    }

    [Fact]
    public void Toggling_a_band_twice_restores_the_filter()
    {
        var filter = HeatFilter.All.Toggle(Band.P40).Toggle(Band.P40);

        Assert.Equal(HeatFilter.All, filter);
        Assert.False(HeatFilter.All.Toggle(Band.P40).Shows(Band.P40));
    }

    [Fact]
    public void A_cold_key_was_never_called_for_the_whole_days_since_it_was_set() =>
        Assert.Equal(12, Entry("Shop.A.B", 0).DaysTracked(Start.AddDays(12).AddHours(23)));
}
