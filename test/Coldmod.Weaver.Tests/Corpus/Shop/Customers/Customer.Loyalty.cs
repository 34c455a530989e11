using System;

namespace Shop.Customers;

public sealed partial class Customer
{
    // Initializers in this file run in the constructors declared in the other file.
    private static readonly TimeSpan s_pointsExpiry = TimeSpan.FromDays(365);

    private int _points = 100;
    private string _displayName = "";

    public int Points => _points;

    public partial string DisplayName
    {
        get => _displayName.Length > 0 ? _displayName : Name;
        set => _displayName = value.Trim();
    }

    public LoyaltyTier Tier => _points switch
    {
        >= 10_000 => LoyaltyTier.Gold,
        >= 1_000 => LoyaltyTier.Silver,
        _ => LoyaltyTier.Bronze,
    };

    public void Earn(decimal amount, DateTimeOffset when)
    {
        if (when < DateTimeOffset.UtcNow - s_pointsExpiry)
        {
            return;
        }

        _points += (int)Math.Floor(amount);
    }

    partial void OnCreated()
    {
        _points += 50;
    }
}

public enum LoyaltyTier
{
    Bronze,
    Silver,
    Gold,
}
