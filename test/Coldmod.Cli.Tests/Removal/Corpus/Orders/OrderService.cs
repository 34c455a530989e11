using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

namespace Shop.Orders;

public sealed class OrderService
{
    private readonly List<Order> _orders = new();

    public OrderService()
    {
    }

    // Kept for the importer, which still builds services by name.
    public OrderService(string name)
    {
        Name = name;
    }

    public string Name { get; } = "";

    public Order Place(string customer, int quantity)
    {
        var order = new Order(_orders.Count + 1, customer, quantity);
        _orders.Add(order);
        return order;
    }

    public void Cancel(int id)
    {
        _orders.RemoveAll(o => o.Id == id);
    }

    /// <summary>Cancels every order of a customer.</summary>
    /// <param name="customer">The customer.</param>
    [Obsolete("Cancel by id.")]
    public void Cancel(string customer)
    {
        _orders.RemoveAll(o => o.Customer == customer);
    }

    public int Count => _orders.Count;

    public decimal Discount(int quantity) => quantity > 10 ? 0.1m : 0m;

    public T Pick<T>(IReadOnlyList<T> items, Func<T, bool> predicate)
    {
        return items.First(predicate);
    }

    public async Task<int> ArchiveAsync()
    {
        await Task.Yield();
        var archived = _orders.Count;
        _orders.Clear();
        return archived;
    }

    public IEnumerable<int> Ids()
    {
        foreach (var order in _orders)
        {
            yield return order.Id;
        }
    }

    public int Summarize()
    {
        Func<Order, int> size = o => o.Quantity * Weight(o);
        return _orders.Sum(size) + Local(2);

        int Local(int factor) => factor * Discount(factor).GetHashCode();
    }

    public static int Weight(Order order) => order.Quantity > 5 ? 2 : 1;
}
