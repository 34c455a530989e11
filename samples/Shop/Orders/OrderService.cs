using Shop.Catalog;
using Shop.Infrastructure;
using Shop.Pricing;

namespace Shop.Orders;

public sealed class OrderService
{
    private readonly IRepository<Order> _orders;
    private readonly ProductCatalog _catalog;
    private readonly PriceCalculator _pricing;
    private int _nextId = 1000;

    public OrderService(IRepository<Order> orders, ProductCatalog catalog, PriceCalculator pricing)
    {
        _orders = orders;
        _catalog = catalog;
        _pricing = pricing;
    }

    public async Task<Order> PlaceAsync(string customer, IReadOnlyList<OrderLine> lines)
    {
        var priced = lines.Select(line => (Product: _catalog.Find(line.Sku), line.Quantity)).ToList();
        var total = _pricing.Total(customer, priced);

        // Stands for the payment provider's round trip.
        await Task.Yield();

        var order = new Order(++_nextId, customer, lines, total);
        _orders.Add(order.Id, order);
        return order;
    }

    public void Cancel(int orderId) => _orders.Get(orderId).Cancel();

    // Refunds go through support, which this sample never calls: the path stays cold.
    public async Task<decimal> RefundAsync(int orderId, string reason)
    {
        var order = _orders.Get(orderId);
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new ArgumentException("A refund needs a reason.", nameof(reason));
        }

        await Task.Delay(1);
        order.MarkRefunded();
        return order.Total;
    }
}
