namespace Shop.Orders;

public enum OrderStatus
{
    Placed,
    Cancelled,
    Refunded,
}

public sealed class Order
{
    public Order(int id, string customer, IReadOnlyList<OrderLine> lines, decimal total)
    {
        Id = id;
        Customer = customer;
        Lines = lines;
        Total = total;
    }

    public int Id { get; }

    public string Customer { get; }

    public IReadOnlyList<OrderLine> Lines { get; }

    public decimal Total { get; }

    public OrderStatus Status { get; private set; }

    public void Cancel()
    {
        if (Status != OrderStatus.Placed)
        {
            throw new InvalidOperationException($"Order {Id} is {Status}");
        }

        Status = OrderStatus.Cancelled;
    }

    public void MarkRefunded() => Status = OrderStatus.Refunded;
}
