using System;
using System.Collections.Generic;

namespace Shop.Customers;

/// <summary>A customer, split over two files: this one holds the constructors, the other the loyalty program.</summary>
public sealed partial class Customer
{
    private static readonly HashSet<string> s_blockedDomains = new(StringComparer.OrdinalIgnoreCase) { "example.invalid" };

    private readonly List<string> _addresses = new();

    public Customer(string name, string email)
    {
        Name = name;
        Email = email;
        OnCreated();
    }

    public Customer(string name)
        : this(name, $"{name.ToLowerInvariant()}@example.com")
    {
    }

    public string Name { get; }

    public string Email { get; }

    public IReadOnlyList<string> Addresses => _addresses;

    // C# 13 partial property: defined here, implemented in the other file.
    public partial string DisplayName { get; set; }

    public static bool IsBlocked(string email) => s_blockedDomains.Contains(email[(email.IndexOf('@') + 1)..]);

    public void AddAddress(string address) => _addresses.Add(address.Trim());

    // Implemented in the other file.
    partial void OnCreated();

    // Never implemented: no method is emitted.
    partial void OnDeleted();

    public void Delete() => OnDeleted();
}
