using System;

namespace Shop.Orders;

public enum OrderStatus
{
    Placed,
    Shipped,
    Cancelled,
}

public delegate void OrderStatusChanged(Order order, OrderStatus status);

public sealed class OrderEventArgs(Order order) : EventArgs
{
    public Order Order { get; } = order;
}

public interface IOrderNotifier
{
    void Notify(Order order, OrderStatus status);

    // A default interface method has a body, so it is traced.
    void NotifyAll(Order[] orders, OrderStatus status)
    {
        foreach (var order in orders)
        {
            Notify(order, status);
        }
    }
}

public sealed class ConsoleNotifier : IOrderNotifier
{
    public event OrderStatusChanged? Changed;

    public void Notify(Order order, OrderStatus status)
    {
        Changed?.Invoke(order, status);
        Console.WriteLine($"{order.Reference}: {status}");
    }
}
