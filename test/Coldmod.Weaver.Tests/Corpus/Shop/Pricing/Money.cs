using System;
using System.Globalization;

namespace Shop.Pricing;

/// <summary>An amount in one currency, with the operators and conversions a value type usually grows.</summary>
public readonly struct Money : IEquatable<Money>, IComparable<Money>, IFormattable
{
    public static readonly Money Zero = new(0m, "EUR");

    public Money(decimal amount, string currency)
    {
        Amount = decimal.Round(amount, 2);
        Currency = currency;
    }

    public decimal Amount { get; }

    public string Currency { get; }

    public static Money operator +(Money left, Money right) => new(left.Amount + right.Amount, Same(left, right));

    public static Money operator checked +(Money left, Money right) =>
        new(checked(left.Amount + right.Amount), Same(left, right));

    public static Money operator -(Money left, Money right) => new(left.Amount - right.Amount, Same(left, right));

    public static Money operator -(Money value) => new(-value.Amount, value.Currency);

    public static Money operator *(Money value, int factor) => new(value.Amount * factor, value.Currency);

    public static Money operator ++(Money value) => new(value.Amount + 1, value.Currency);

    public static bool operator ==(Money left, Money right) => left.Equals(right);

    public static bool operator !=(Money left, Money right) => !left.Equals(right);

    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    public static bool operator true(Money value) => value.Amount != 0;

    public static bool operator false(Money value) => value.Amount == 0;

    public static implicit operator decimal(Money value) => value.Amount;

    public static explicit operator Money(decimal amount) => new(amount, "EUR");

    public static explicit operator int(Money value) => (int)value.Amount;

    public static explicit operator checked int(Money value) => checked((int)value.Amount);

    public bool Equals(Money other) => Amount == other.Amount && Currency == other.Currency;

    public override bool Equals(object? obj) => obj is Money other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Amount, Currency);

    // Explicit implementation of a generic interface: its key escapes the interface name.
    int IComparable<Money>.CompareTo(Money other) => CompareTo(other);

    public int CompareTo(Money other) => Amount.CompareTo(Same(this, other) is { } ? other.Amount : 0m);

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) =>
        Amount.ToString(format ?? "N2", formatProvider ?? CultureInfo.InvariantCulture) + " " + Currency;

    public override string ToString() => ((IFormattable)this).ToString(null, null);

    private static string Same(Money left, Money right) =>
        left.Currency == right.Currency ? left.Currency : throw new InvalidOperationException($"{left.Currency} and {right.Currency} do not mix.");
}

/// <summary>A running total with C# 14 instance compound-assignment and increment operators.</summary>
public sealed class Till
{
    public Money Total { get; private set; } = Money.Zero;

    public int Items { get; private set; }

    public void operator +=(Money amount)
    {
        Total += amount;
        Items++;
    }

    public void operator ++() => Items++;
}
