using Shop.Catalog;

namespace Shop.Pricing;

public sealed class PriceCalculator
{
    private readonly IReadOnlyList<IDiscountRule> _rules;

    public PriceCalculator(IReadOnlyList<IDiscountRule> rules)
    {
        _rules = rules;
    }

    public decimal Total(string customer, IReadOnlyList<(Product Product, int Quantity)> lines)
    {
        var subtotal = lines.Sum(l => l.Product.Price * l.Quantity);
        foreach (var rule in _rules)
        {
            subtotal = rule.Apply(customer, lines, subtotal);
        }

        return Round(subtotal);
    }

    private static decimal Round(decimal amount) => Math.Round(amount, 2, MidpointRounding.AwayFromZero);
}
