namespace Shop.Catalog;

public sealed class ProductCatalog
{
    private readonly Dictionary<string, Product> _products = new(StringComparer.Ordinal);

    public static ProductCatalog CreateDefault()
    {
        var catalog = new ProductCatalog();
        catalog.Add(new Product("TEA-01", "Green tea", 4.50m, "Drinks"));
        catalog.Add(new Product("COF-01", "Espresso beans", 12.00m, "Drinks"));
        catalog.Add(new Product("MUG-01", "Stoneware mug", 9.90m, "Kitchen"));
        catalog.Add(new Product("KET-01", "Kettle", 34.00m, "Kitchen"));
        return catalog;
    }

    public void Add(Product product) => _products.Add(product.Sku, product);

    public Product Find(string sku) =>
        _products.TryGetValue(sku, out var product) ? product : throw new KeyNotFoundException($"No product {sku}");

    public IEnumerable<Product> InCategory(string category) =>
        _products.Values.Where(p => p.Category == category).OrderBy(p => p.Price);

    // Only the admin command uses this: a normal run never removes products.
    public bool Discontinue(string sku) => _products.Remove(sku);
}
