using System;
using System.Collections.Generic;

namespace Shop.Pricing;

public sealed class Ledger
{
    private static readonly Dictionary<string, decimal> s_rates;
    private readonly List<decimal> _entries = new();
    private EventHandler? _changed;

    static Ledger()
    {
        s_rates = new Dictionary<string, decimal> { ["EUR"] = 1m };
    }

    ~Ledger()
    {
        _entries.Clear();
    }

    public decimal Total
    {
        get
        {
            decimal total = 0;
            foreach (var entry in _entries)
            {
                total += entry;
            }

            return total;
        }
        set
        {
            _entries.Clear();
            _entries.Add(value);
        }
    }

    public decimal this[int index]
    {
        get => _entries[index];
        set => _entries[index] = value;
    }

    public int Count { get => _entries.Count; }

    public event EventHandler Changed
    {
        add { _changed += value; }
        remove { _changed -= value; }
    }

    public static decimal Rate(string currency) => s_rates[currency];

    public void Record(decimal amount)
    {
        _entries.Add(amount);
        _changed?.Invoke(this, EventArgs.Empty);
    }

    public decimal Last() => this[_entries.Count - 1] + Count;
}
