using System;
using System.Collections.Generic;
using System.Linq;

namespace Shop.Orders;

/// <summary>An order as the shop keeps it; positional members are compiler-synthesized.</summary>
public record Order(int Id, string Customer, IReadOnlyList<OrderLine> Lines)
{
    public DateTimeOffset? ShippedAt { get; init; }

    public List<string> Notes { get; } = new();

    public string Reference => $"SO-{Id:D6}";

    public decimal Total => Lines.Sum(l => l.Quantity * l.UnitPrice);

    public Order(int id, string customer)
        : this(id, customer, Array.Empty<OrderLine>())
    {
    }

    public override string ToString() => $"{Reference} for {Customer}";
}

/// <summary>A record struct: its primary constructor runs no source code.</summary>
public readonly record struct OrderLine(string Sku, int Quantity, decimal UnitPrice)
{
    public decimal Amount => Quantity * UnitPrice;
}

/// <summary>A struct with a primary constructor and no initializers.</summary>
public readonly struct OrderNumber(int year, int sequence)
{
    public override string ToString() => $"{year}-{sequence:D5}";
}

/// <summary>A struct whose primary constructor parameter feeds an initializer.</summary>
public struct OrderCounter(int start)
{
    private int _value = start;

    public int Next() => ++_value;
}

/// <summary>A class primary constructor with a base call and an initializer that captures a parameter.</summary>
public class ShippingLabel(string carrier, string address) : LabelBase(carrier)
{
    private readonly string _address = address.Trim();

    public string Render() => $"{Carrier}: {_address}";
}

public abstract class LabelBase(string carrier)
{
    public string Carrier { get; } = carrier;
}

/// <summary>A class primary constructor without initializers and without an explicit base.</summary>
public sealed class ReturnPolicy(int days)
{
    public bool Allows(DateTimeOffset bought, DateTimeOffset now) => (now - bought).TotalDays <= days;
}

public record ExpressOrder(int Id, string Customer, IReadOnlyList<OrderLine> Lines, TimeSpan Promise)
    : Order(Id, Customer, Lines)
{
    public bool IsLate(DateTimeOffset placed, DateTimeOffset now) => now - placed > Promise;
}
