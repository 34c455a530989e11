using System;

namespace Shop.Pricing;

public readonly struct Money : IEquatable<Money>
{
    private readonly decimal _amount;

    public Money(decimal amount)
    {
        _amount = amount;
    }

    public decimal Amount => _amount;

    public static Money operator +(Money left, Money right) => new(left._amount + right._amount);

    public static Money operator -(Money left, Money right)
    {
        return new Money(left._amount - right._amount);
    }

    public static explicit operator decimal(Money money) => money._amount;

    public static implicit operator Money(int amount) => new(amount);

    public bool Equals(Money other) => _amount == other._amount;

    public override bool Equals(object? obj) => obj is Money other && Equals(other);

    public override int GetHashCode() => _amount.GetHashCode();
}
