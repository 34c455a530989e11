using Coldmod.EndToEnd.Tests.Infrastructure;

namespace Coldmod.EndToEnd.Tests;

[Collection(EndToEndCollection.Name)]
public sealed class RemoveTests(PackagedColdmod coldmod)
{
    [Fact]
    public async Task Rm_deletes_a_cold_method_of_the_sample_the_build_still_passes_and_a_removed_method_with_a_caller_gets_it_marked()
    {
        var shop = coldmod.CreateShop("rm");
        (await shop.BuildAsync()).EnsureSuccess();
        var service = Path.Combine(shop.ProjectDirectory, "Orders", "OrderService.cs");

        // Nothing calls the refund path: it goes, with the comment above it, and the woven build is happy without it.
        var refund = (await shop.ColdmodAsync("rm", "Shop.Orders.OrderService.RefundAsync(System.Int32,System.String)")).EnsureSuccess();

        Assert.Contains("removed Shop.Orders.OrderService.RefundAsync(System.Int32,System.String)  Orders/OrderService.cs:37", refund.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Refund", File.ReadAllText(service), StringComparison.Ordinal);
        Assert.EndsWith("    public void Cancel(int orderId) => _orders.Get(orderId).Cancel();\n}\n", File.ReadAllText(service), StringComparison.Ordinal);
        (await shop.BuildAsync()).EnsureSuccess();

        // The admin command calls Discontinue: its statement is marked, and the build's error leads there.
        var discontinue = (await shop.ColdmodAsync("rm", "Shop.Catalog.ProductCatalog.Discontinue(System.String)")).EnsureSuccess();

        Assert.Contains("marked 1 reference in Admin/AdminCommands.cs", discontinue.Output, StringComparison.Ordinal);
        Assert.Contains(
            "        // TODO: Shop.Catalog.ProductCatalog.Discontinue(System.String) was removed by coldmod.\n        var removed = catalog.Discontinue(sku);\n",
            File.ReadAllText(Path.Combine(shop.ProjectDirectory, "Admin", "AdminCommands.cs")),
            StringComparison.Ordinal);
        Assert.DoesNotContain("Discontinue(", File.ReadAllText(Path.Combine(shop.ProjectDirectory, "Catalog", "ProductCatalog.cs")), StringComparison.Ordinal);
        var broken = await shop.BuildAsync();
        Assert.False(broken.Succeeded);
        Assert.Contains("AdminCommands.cs(22,", broken.Output, StringComparison.Ordinal);
    }
}
