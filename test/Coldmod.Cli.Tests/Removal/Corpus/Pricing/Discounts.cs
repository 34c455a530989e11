using System;

namespace Shop.Pricing;

public interface IDiscount
{
    decimal Apply(decimal amount);

    string Describe();
}

public abstract class DiscountBase
{
    public abstract decimal Rate { get; }

    public virtual string Label() => "discount";

    public override string ToString() => Label();
}

public sealed class Seasonal : DiscountBase, IDiscount
{
    public override decimal Rate => 0.2m;

    public override string Label() => "seasonal";

    public decimal Apply(decimal amount) => amount * (1 - Rate);

    string IDiscount.Describe() => Label();
}

[AttributeUsage(AttributeTargets.Method)]
public sealed class CasesFromAttribute : Attribute
{
    public CasesFromAttribute(string member)
    {
        Member = member;
    }

    public string Member { get; }
}

public static class DiscountChecks
{
    public static object[][] Cases() => new[] { new object[] { 1m } };

    [CasesFrom(nameof(Cases))]
    public static bool Check(decimal amount) => amount > 0;
}
