using Shop.Catalog;

namespace Shop.Pricing;

/// <summary>A fixed amount off for known customers.</summary>
public sealed class LoyaltyDiscount : IDiscountRule
{
    private readonly HashSet<string> _members;

    public LoyaltyDiscount(IEnumerable<string> members)
    {
        _members = new HashSet<string>(members, StringComparer.OrdinalIgnoreCase);
    }

    public decimal Apply(string customer, IReadOnlyList<(Product Product, int Quantity)> lines, decimal subtotal) =>
        _members.Contains(customer) ? Math.Max(0, subtotal - 2.00m) : subtotal;
}
