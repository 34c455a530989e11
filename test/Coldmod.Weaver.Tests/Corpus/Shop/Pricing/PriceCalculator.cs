using System;
using System.Collections.Generic;
using Shop.Orders;

namespace Shop.Pricing;

public interface IDiscount
{
    decimal Apply(decimal amount);

    static abstract string Code { get; }

    static virtual bool Stacks => false;
}

public sealed class PriceCalculator
{
    private readonly List<Func<decimal, decimal>> _rules = new();
    private readonly decimal _vatRate;

    public PriceCalculator(decimal vatRate) => _vatRate = vatRate;

    public PriceCalculator AddRule(Func<decimal, decimal> rule)
    {
        _rules.Add(rule);
        return this;
    }

    public PriceCalculator AddDiscount<TDiscount>(TDiscount discount)
        where TDiscount : IDiscount
    {
        _rules.Add(discount.Apply);
        return this;
    }

    public decimal Price(Order order)
    {
        var net = order.Total;
        foreach (var rule in _rules)
        {
            net = rule(net);
        }

        return Rounding.ToCents(net * (1 + _vatRate));
    }

    public decimal Price(OrderLine line) => Rounding.ToCents(line.Amount * (1 + _vatRate));
}

/// <summary>A percentage off, with a static abstract member implemented.</summary>
public sealed class PercentOff(decimal percent) : IDiscount
{
    public static string Code => "PCT";

    public decimal Apply(decimal amount) => amount * (1 - percent / 100m);
}

// A file-local type: its metadata name is mangled, its documentation ID is not.
file static class Rounding
{
    public static decimal ToCents(decimal amount) => Math.Round(amount, 2, MidpointRounding.ToEven);
}
