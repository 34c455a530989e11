namespace Shop.Catalog;

public sealed class Product
{
    public Product(string sku, string name, decimal price, string category)
    {
        Sku = sku;
        Name = name;
        Price = price;
        Category = category;
    }

    public string Sku { get; }

    public string Name { get; }

    public decimal Price { get; }

    public string Category { get; }

    public override string ToString() => $"{Sku} {Name} ({Price:0.00})";
}
