using Coldmod.Weaver;
using Microsoft.CodeAnalysis;
using Xunit.Sdk;

namespace Coldmod.Cli.Tests;

// The oracle vouches for hand-written listings, so it must be seen to reject wrong ones.
[Collection(SampleCheckoutCollection.Name)]
public sealed class RoslynOracleTests(SampleCheckout sample)
{
    private const string ShopListing = """
        src/Shop/Cart.cs
          Shop.Cart.#ctor  src/Shop/Cart.cs:8
          Shop.Cart.Add(System.Decimal)  src/Shop/Cart.cs:12
          Shop.Cart.Total  src/Shop/Cart.cs:17
        src/Shop/Orders.cs
          Shop.Orders.OrderService.#ctor(System.Int32)  src/Shop/Orders.cs:9
          Shop.Orders.OrderService.Cancel(System.Int32)  src/Shop/Orders.cs:16
          Shop.Orders.OrderService.Cancel(System.String)  src/Shop/Orders.cs:21
          Shop.Orders.OrderService.ShipAsync(System.Int32)  src/Shop/Orders.cs:26
          Shop.Orders.OrderService.get_Open  src/Shop/Orders.cs:30

        """;

    [Fact]
    public void Accepts_the_right_listing() => Verify(ShopListing);

    [Theory]
    [InlineData("src/Shop/Orders.cs:16", "src/Shop/Orders.cs:20")]
    [InlineData("Cancel(System.String)", "Cancel(System.Object)")]
    [InlineData("  Shop.Cart.Total  src/Shop/Cart.cs:17\n", "")]
    [InlineData("src/Shop/Orders.cs\n", "src/Shop/Order.cs\n")]
    public void Rejects_a_wrong_line_key_file_or_a_missing_method(string right, string wrong)
    {
        Assert.Contains(right, ShopListing, StringComparison.Ordinal);

        Assert.ThrowsAny<XunitException>(() => Verify(ShopListing.Replace(right, wrong, StringComparison.Ordinal)));
    }

    [Fact]
    public void Overloads_differing_only_in_function_pointer_types_share_an_id_that_resolves_to_neither()
    {
        var compilation = sample.Billing.Compilation;
        var calls = compilation.GetTypeByMetadataName("Billing.Native")!.GetMembers("Call");

        Assert.Equal(["M:Billing.Native.Call()", "M:Billing.Native.Call()"], calls.Select(c => c.GetDocumentationCommentId()));
        Assert.Empty(DocumentationCommentId.GetSymbolsForDeclarationId("M:Billing.Native.Call()", compilation));
    }

    private void Verify(string listing) =>
        RoslynOracle.Verify(listing, RootMarker.Find(sample.Root), [sample.Shop.Compilation]);
}
