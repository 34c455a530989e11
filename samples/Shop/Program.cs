using Shop.Admin;
using Shop.Catalog;
using Shop.Export;
using Shop.Generated;
using Shop.Infrastructure;
using Shop.Orders;
using Shop.Pricing;
using Shop.Reporting;

namespace Shop;

// A day in the shop, the same every run: three orders, one cancelled, a sales report.
// Coldmod's end-to-end test runs it and checks the call counts it expects from exactly this sequence.
public static partial class Program
{
    public static async Task<int> Main(string[] args)
    {
        StartTracing();
        var catalog = ProductCatalog.CreateDefault();
        if (args.Length > 0 && args[0] == "admin")
        {
            return AdminCommands.Run(args, catalog, Console.Out);
        }

        var orders = new InMemoryRepository<Order>();
        var pricing = new PriceCalculator([new BulkDiscount(3, 0.10m), new LoyaltyDiscount(["ada", "grace"])]);
        var service = new OrderService(orders, catalog, pricing);

        var first = await service.PlaceAsync("ada", [new OrderLine("TEA-01", 2), new OrderLine("MUG-01", 1)]);
        await service.PlaceAsync("linus", [new OrderLine("COF-01", 1)]);
        await service.PlaceAsync("grace", [new OrderLine("TEA-01", 1), new OrderLine("KET-01", 1)]);
        service.Cancel(first.Id);

        if (args.Length > 0 && args[0] == "export")
        {
            Console.Write(CsvExporter.Export(orders.All()));
            return 0;
        }

        Console.WriteLine(BuildInfo.Describe());
        foreach (var (sku, quantity) in SalesReport.TopProducts(orders.All(), 2))
        {
            Console.WriteLine($"{sku} x{quantity}");
        }

        var itemsSold = orders.Aggregate(0, (sum, order) => sum + order.Lines.Count);
        Console.WriteLine($"kitchen: {string.Join(", ", catalog.InCategory("Kitchen"))}");
        Console.WriteLine($"revenue {SalesReport.Revenue(orders.All()):0.00}, {itemsSold} lines");
        return 0;
    }

    // Implemented in StartTracing.cs, which is compiled only when weaving; otherwise the call compiles to nothing.
    static partial void StartTracing();
}
