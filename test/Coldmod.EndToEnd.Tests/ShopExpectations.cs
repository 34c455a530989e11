namespace Coldmod.EndToEnd.Tests;

/// <summary>
/// What samples/Shop's Program does on a run without arguments, method by method: every src of the sample and the
/// exact number of calls that run makes. Zero marks the cold paths: refunds, the CSV export, the admin command.
/// </summary>
public static class ShopExpectations
{
    public const string AssemblyName = "Shop.dll";

    public static readonly IReadOnlyDictionary<string, long> CallsOfOneRun = new Dictionary<string, long>(StringComparer.Ordinal)
    {
        ["Shop.Program.Main(System.String[])"] = 1,

        ["Shop.Catalog.ProductCatalog.CreateDefault"] = 1,
        ["Shop.Catalog.ProductCatalog.#ctor"] = 1,
        ["Shop.Catalog.Product.#ctor(System.String,System.String,System.Decimal,System.String)"] = 4,
        ["Shop.Catalog.ProductCatalog.Add(Shop.Catalog.Product)"] = 4,
        // One lookup per order line: 2 + 1 + 2.
        ["Shop.Catalog.ProductCatalog.Find(System.String)"] = 5,
        ["Shop.Catalog.ProductCatalog.InCategory(System.String)"] = 1,
        // string.Join over the two kitchen products.
        ["Shop.Catalog.Product.ToString"] = 2,
        ["Shop.Catalog.ProductCatalog.Discontinue(System.String)"] = 0,

        ["Shop.Infrastructure.InMemoryRepository`1.#ctor"] = 1,
        ["Shop.Infrastructure.InMemoryRepository`1.Add(System.Int32,`0)"] = 3,
        ["Shop.Infrastructure.InMemoryRepository`1.Get(System.Int32)"] = 1,
        ["Shop.Infrastructure.InMemoryRepository`1.All"] = 2,
        ["Shop.Infrastructure.InMemoryRepository`1.Aggregate``1(``0,System.Func{``0,`0,``0})"] = 1,

        ["Shop.Orders.OrderLine.#ctor(System.String,System.Int32)"] = 5,
        ["Shop.Orders.Order.#ctor(System.Int32,System.String,System.Collections.Generic.IReadOnlyList{Shop.Orders.OrderLine},System.Decimal)"] = 3,
        ["Shop.Orders.Order.Cancel"] = 1,
        ["Shop.Orders.Order.MarkRefunded"] = 0,
        ["Shop.Orders.OrderService.#ctor(Shop.Infrastructure.IRepository{Shop.Orders.Order},Shop.Catalog.ProductCatalog,Shop.Pricing.PriceCalculator)"] = 1,
        // Async: counted once per call at the kickoff method, however often the state machine resumes.
        ["Shop.Orders.OrderService.PlaceAsync(System.String,System.Collections.Generic.IReadOnlyList{Shop.Orders.OrderLine})"] = 3,
        ["Shop.Orders.OrderService.Cancel(System.Int32)"] = 1,
        ["Shop.Orders.OrderService.RefundAsync(System.Int32,System.String)"] = 0,

        ["Shop.Pricing.PriceCalculator.#ctor(System.Collections.Generic.IReadOnlyList{Shop.Pricing.IDiscountRule})"] = 1,
        ["Shop.Pricing.PriceCalculator.Total(System.String,System.Collections.Generic.IReadOnlyList{System.ValueTuple{Shop.Catalog.Product,System.Int32}})"] = 3,
        ["Shop.Pricing.PriceCalculator.Round(System.Decimal)"] = 3,
        ["Shop.Pricing.BulkDiscount.#ctor(System.Int32,System.Decimal)"] = 1,
        ["Shop.Pricing.BulkDiscount.Apply(System.String,System.Collections.Generic.IReadOnlyList{System.ValueTuple{Shop.Catalog.Product,System.Int32}},System.Decimal)"] = 3,
        ["Shop.Pricing.LoyaltyDiscount.#ctor(System.Collections.Generic.IEnumerable{System.String})"] = 1,
        ["Shop.Pricing.LoyaltyDiscount.Apply(System.String,System.Collections.Generic.IReadOnlyList{System.ValueTuple{Shop.Catalog.Product,System.Int32}},System.Decimal)"] = 3,

        ["Shop.Reporting.SalesReport.TopProducts(System.Collections.Generic.IEnumerable{Shop.Orders.Order},System.Int32)"] = 1,
        ["Shop.Reporting.SalesReport.Revenue(System.Collections.Generic.IEnumerable{Shop.Orders.Order})"] = 1,

        ["Shop.Export.CsvExporter.Export(System.Collections.Generic.IEnumerable{Shop.Orders.Order})"] = 0,
        ["Shop.Export.CsvExporter.Escape(System.String)"] = 0,
        ["Shop.Admin.AdminCommands.Run(System.String[],Shop.Catalog.ProductCatalog,System.IO.TextWriter)"] = 0,
        ["Shop.Admin.AdminCommands.Discontinue(Shop.Catalog.ProductCatalog,System.String,System.IO.TextWriter)"] = 0,

        // Lambdas are srcs of their own: LINQ callbacks run once per element, so they count elements, not calls.
        ["Shop.Catalog.ProductCatalog.InCategory(System.String)=>0"] = 4,
        ["Shop.Catalog.ProductCatalog.InCategory(System.String)=>1"] = 2,
        ["Shop.Orders.OrderService.PlaceAsync(System.String,System.Collections.Generic.IReadOnlyList{Shop.Orders.OrderLine})=>0"] = 5,
        ["Shop.Pricing.BulkDiscount.Apply(System.String,System.Collections.Generic.IReadOnlyList{System.ValueTuple{Shop.Catalog.Product,System.Int32}},System.Decimal)=>0"] = 5,
        ["Shop.Pricing.PriceCalculator.Total(System.String,System.Collections.Generic.IReadOnlyList{System.ValueTuple{Shop.Catalog.Product,System.Int32}})=>0"] = 5,
        ["Shop.Program.Main(System.String[])=>0"] = 3,
        ["Shop.Reporting.SalesReport.TopProducts(System.Collections.Generic.IEnumerable{Shop.Orders.Order},System.Int32)=>0"] = 3,
        ["Shop.Reporting.SalesReport.TopProducts(System.Collections.Generic.IEnumerable{Shop.Orders.Order},System.Int32)=>1"] = 2,
        ["Shop.Reporting.SalesReport.TopProducts(System.Collections.Generic.IEnumerable{Shop.Orders.Order},System.Int32)=>2"] = 3,
        ["Shop.Reporting.SalesReport.TopProducts(System.Collections.Generic.IEnumerable{Shop.Orders.Order},System.Int32)=>3"] = 3,
        ["Shop.Reporting.SalesReport.TopProducts(System.Collections.Generic.IEnumerable{Shop.Orders.Order},System.Int32)=>3=>0"] = 3,
        ["Shop.Reporting.SalesReport.TopProducts(System.Collections.Generic.IEnumerable{Shop.Orders.Order},System.Int32)=>4"] = 3,
        ["Shop.Reporting.SalesReport.TopProducts(System.Collections.Generic.IEnumerable{Shop.Orders.Order},System.Int32)=>5"] = 3,
        ["Shop.Reporting.SalesReport.Revenue(System.Collections.Generic.IEnumerable{Shop.Orders.Order})=>0"] = 3,
        ["Shop.Reporting.SalesReport.Revenue(System.Collections.Generic.IEnumerable{Shop.Orders.Order})=>1"] = 2,
    };

    /// <summary>Where some srcs are: the file relative to the rootmarker and the line of the method's first statement.</summary>
    public static readonly IReadOnlyDictionary<string, string> Locations = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Shop.Program.Main(System.String[])"] = "Program.cs:18",
        ["Shop.Orders.OrderService.PlaceAsync(System.String,System.Collections.Generic.IReadOnlyList{Shop.Orders.OrderLine})"] = "Orders/OrderService.cs:23",
        ["Shop.Orders.OrderService.RefundAsync(System.Int32,System.String)"] = "Orders/OrderService.cs:39",
        ["Shop.Export.CsvExporter.Export(System.Collections.Generic.IEnumerable{Shop.Orders.Order})"] = "Export/CsvExporter.cs:12",
        ["Shop.Admin.AdminCommands.Run(System.String[],Shop.Catalog.ProductCatalog,System.IO.TextWriter)"] = "Admin/AdminCommands.cs:10",
        ["Shop.Infrastructure.InMemoryRepository`1.Aggregate``1(``0,System.Func{``0,`0,``0})"] = "Infrastructure/InMemoryRepository.cs:16",
    };

    /// <summary>The sources under the rootmarker, less Generated/ which it ignores.</summary>
    public static readonly IReadOnlyList<string> TracedFiles =
    [
        "Admin/AdminCommands.cs",
        "Catalog/Product.cs",
        "Catalog/ProductCatalog.cs",
        "Export/CsvExporter.cs",
        "Infrastructure/IRepository.cs",
        "Infrastructure/InMemoryRepository.cs",
        "Orders/Order.cs",
        "Orders/OrderLine.cs",
        "Orders/OrderService.cs",
        "Pricing/BulkDiscount.cs",
        "Pricing/IDiscountRule.cs",
        "Pricing/LoyaltyDiscount.cs",
        "Pricing/PriceCalculator.cs",
        "Program.cs",
        "Reporting/SalesReport.cs",
    ];

    public static int SrcCount => CallsOfOneRun.Count;

    public static string WoveMessage(int methods) => $"Coldmod: wove {methods} methods into {AssemblyName}";
}
