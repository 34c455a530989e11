using System.Globalization;
using System.Text;
using Shop.Orders;

namespace Shop.Export;

// The export feature shipped but nobody uses it: `Shop export` is the only way in.
public static class CsvExporter
{
    public static string Export(IEnumerable<Order> orders)
    {
        var csv = new StringBuilder("id,customer,total,status\n");
        foreach (var order in orders)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{order.Id},{Escape(order.Customer)},{order.Total},{order.Status}\n");
        }

        return csv.ToString();
    }

    private static string Escape(string value) =>
        value.Contains(',', StringComparison.Ordinal) ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : value;
}
