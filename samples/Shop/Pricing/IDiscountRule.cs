using Shop.Catalog;

namespace Shop.Pricing;

public interface IDiscountRule
{
    decimal Apply(string customer, IReadOnlyList<(Product Product, int Quantity)> lines, decimal subtotal);
}
