namespace Shop.Orders;

public sealed partial class Order
{
    public void Grow(int by)
    {
        Quantity += by;
    }

    public void Shrink(int by)
    {
        Quantity -= by;
    }
}
