using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Shop.Customers;
using Shop.Pricing;

namespace Shop.Orders;

public sealed class OrderService : IDisposable
{
    private static readonly TimeSpan s_defaultTimeout = TimeSpan.FromSeconds(30);
    private static int s_instances;

    private readonly Dictionary<int, Order> _orders = new();
    private readonly IOrderNotifier _notifier;
    private int _nextId = 1;
    // Default values: an optimizing compiler drops these two initializers.
    private int _cancelled = 0;
    private string? _lastError = null;
    private EventHandler<OrderEventArgs>? _shipped;

    static OrderService()
    {
        s_instances = 0;
    }

    public OrderService(IOrderNotifier notifier)
    {
        _notifier = notifier;
        Interlocked.Increment(ref s_instances);
    }

    public OrderService()
        : this(new ConsoleNotifier())
    {
    }

    public static int Instances => s_instances;

    public int Count => _orders.Count;

    public int Cancelled => _cancelled;

    public TimeSpan Timeout { get; set; } = s_defaultTimeout;

    public string? LastError
    {
        get { return _lastError; }
        private set { _lastError = value; }
    }

    public Order this[int id] => _orders[id];

    public Order? this[string reference]
    {
        get => _orders.Values.FirstOrDefault(o => o.Reference == reference);
    }

    public event EventHandler<OrderEventArgs>? Placed;

    public event EventHandler<OrderEventArgs>? Shipped
    {
        add => _shipped += value;
        remove => _shipped -= value;
    }

    public Order Place(string customer, params OrderLine[] lines)
    {
        var order = new Order(_nextId++, customer, lines);
        _orders.Add(order.Id, order);
        Placed?.Invoke(this, new OrderEventArgs(order));
        _notifier.Notify(order, OrderStatus.Placed);
        return order;
    }

    public Order Place(Customer customer, IEnumerable<OrderLine> lines) =>
        Place(customer.Name, lines.ToArray());

    public bool Cancel(int id) => Cancel(id, "cancelled by customer");

    public bool Cancel(int id, string reason)
    {
        if (!_orders.Remove(id))
        {
            LastError = $"Order {id} not found ({reason}).";
            return false;
        }

        _cancelled++;
        return true;
    }

    public bool Cancel(Order order) => Cancel(order.Id);

    public bool TryFind(int id, out Order? order) => _orders.TryGetValue(id, out order);

    public void Reprice(ref Money total, in Money discount)
    {
        total = total - discount;
    }

    public async Task<Order> PlaceAsync(string customer, OrderLine line, CancellationToken cancellationToken = default)
    {
        await Task.Delay(1, cancellationToken);
        return Place(customer, line);
    }

    public async ValueTask<int> ShipAllAsync(DateTimeOffset now)
    {
        var shipped = 0;
        foreach (var order in Pending())
        {
            await Task.Yield();
            _shipped?.Invoke(this, new OrderEventArgs(order with { ShippedAt = now }));
            shipped++;
        }

        return shipped;
    }

    public async void OnTimerTick(object? state)
    {
        try
        {
            await ShipAllAsync(DateTimeOffset.UtcNow);
        }
        catch (InvalidOperationException e)
        {
            LastError = e.Message;
        }
    }

    public async IAsyncEnumerable<Order> StreamAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var order in _orders.Values)
        {
            await Task.Delay(1, cancellationToken);
            yield return order;
        }
    }

    public IEnumerable<Order> Pending()
    {
        foreach (var order in _orders.Values)
        {
            if (order.ShippedAt is null)
            {
                yield return order;
            }
        }
    }

    public IEnumerable<IGrouping<string, Order>> ByCustomer() =>
        _orders.Values.GroupBy(o => o.Customer);

    public string Summarize(decimal threshold)
    {
        var large = _orders.Values.Where(o => Total(o) >= threshold).ToList();
        return Format(large.Count, _orders.Count);

        decimal Total(Order order) => order.Lines.Sum(l => l.Quantity * l.UnitPrice);

        static string Format(int big, int all) => $"{big} of {all} orders are large";
    }

    // Builds that do not define SHOP_AUDIT omit the call, and with it all of Audit's code and lines.
    public void Audit() => CheckInvariants();

    [Conditional("SHOP_AUDIT")]
    private void CheckInvariants()
    {
        if (_cancelled > _nextId)
        {
            throw new InvalidOperationException("More orders cancelled than placed.");
        }
    }

    public void Dispose()
    {
        Interlocked.Decrement(ref s_instances);
        _orders.Clear();
    }
}
