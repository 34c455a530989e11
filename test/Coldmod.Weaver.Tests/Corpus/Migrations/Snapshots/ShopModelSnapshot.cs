using System.Collections.Generic;

namespace Shop.Migrations.Snapshots;

/// <summary>Two folders below Migrations/: only a '**' glob reaches it.</summary>
public static class ShopModelSnapshot
{
    private static readonly Dictionary<string, string[]> s_tables = new()
    {
        ["Orders"] = new[] { "Id", "Customer" },
        ["OrderLines"] = new[] { "OrderId", "Sku", "Quantity", "UnitPrice" },
    };

    public static IReadOnlyCollection<string> Tables => s_tables.Keys;

    public static string[] Columns(string table) => s_tables[table];
}
