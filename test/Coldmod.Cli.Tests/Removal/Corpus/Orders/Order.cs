namespace Shop.Orders;

public sealed partial class Order
{
    public Order(int id, string customer, int quantity)
    {
        Id = id;
        Customer = customer;
        Quantity = quantity;
    }

    public int Id { get; }

    public string Customer { get; }

    public int Quantity { get; private set; }
}
