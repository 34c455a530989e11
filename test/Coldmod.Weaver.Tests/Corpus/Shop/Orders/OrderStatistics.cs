using System;

namespace Shop.Orders;

/// <summary>
/// Every initializer here assigns a default value (what CA1805 flags): an optimizing build drops them, and with
/// them the only code of the implicit constructor. The implicit static constructor is not emitted in any build.
/// </summary>
public sealed class OrderStatistics
{
    private static int s_snapshots = 0;

    private int _placed = 0;
    private int _cancelled = 0;
    private string? _lastCustomer = null;
    private bool _dirty = false;

    public static int Snapshots => s_snapshots;

    public int Placed => _placed;

    public string? LastCustomer => _lastCustomer;

    public void Record(Order order)
    {
        _placed++;
        _lastCustomer = order.Customer;
        _dirty = true;
    }

    public void RecordCancellation() => _cancelled++;

    public (int Placed, int Cancelled) Snapshot()
    {
        s_snapshots++;
        _dirty = false;
        return (_placed, _cancelled);
    }

    public override string ToString() => _dirty ? $"{_placed} placed (unsaved)" : $"{_placed} placed";
}
