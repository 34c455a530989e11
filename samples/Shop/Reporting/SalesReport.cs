using Shop.Orders;

namespace Shop.Reporting;

public static class SalesReport
{
    public static IReadOnlyList<(string Sku, int Quantity)> TopProducts(IEnumerable<Order> orders, int count) =>
        orders
            .Where(o => o.Status == OrderStatus.Placed)
            .SelectMany(o => o.Lines)
            .GroupBy(l => l.Sku)
            .Select(g => (Sku: g.Key, Quantity: g.Sum(l => l.Quantity)))
            .OrderByDescending(t => t.Quantity)
            .ThenBy(t => t.Sku, StringComparer.Ordinal)
            .Take(count)
            .ToList();

    public static decimal Revenue(IEnumerable<Order> orders) =>
        orders.Where(o => o.Status == OrderStatus.Placed).Sum(o => o.Total);
}
