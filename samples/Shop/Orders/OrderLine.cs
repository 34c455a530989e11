namespace Shop.Orders;

public sealed class OrderLine
{
    public OrderLine(string sku, int quantity)
    {
        Sku = sku;
        Quantity = quantity;
    }

    public string Sku { get; }

    public int Quantity { get; }
}
