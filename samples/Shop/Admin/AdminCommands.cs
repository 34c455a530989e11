using Shop.Catalog;

namespace Shop.Admin;

// Operators run these by hand (`Shop admin discontinue SKU`); the normal run never does.
public static class AdminCommands
{
    public static int Run(string[] args, ProductCatalog catalog, TextWriter output)
    {
        if (args.Length == 3 && args[1] == "discontinue")
        {
            return Discontinue(catalog, args[2], output);
        }

        output.WriteLine("usage: Shop admin discontinue SKU");
        return 2;
    }

    private static int Discontinue(ProductCatalog catalog, string sku, TextWriter output)
    {
        var removed = catalog.Discontinue(sku);
        output.WriteLine(removed ? $"discontinued {sku}" : $"no product {sku}");
        return removed ? 0 : 1;
    }
}
