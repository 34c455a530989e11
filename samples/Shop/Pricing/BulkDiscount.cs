using Shop.Catalog;

namespace Shop.Pricing;

/// <summary>A percentage off orders of at least a number of items.</summary>
public sealed class BulkDiscount : IDiscountRule
{
    private readonly int _minimumItems;
    private readonly decimal _rate;

    public BulkDiscount(int minimumItems, decimal rate)
    {
        _minimumItems = minimumItems;
        _rate = rate;
    }

    public decimal Apply(string customer, IReadOnlyList<(Product Product, int Quantity)> lines, decimal subtotal) =>
        lines.Sum(l => l.Quantity) >= _minimumItems ? subtotal * (1 - _rate) : subtotal;
}
