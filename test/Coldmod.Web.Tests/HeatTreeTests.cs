using Coldmod.Server.Model;
using static Coldmod.Web.Tests.Entries;

namespace Coldmod.Web.Tests;

public sealed class HeatTreeTests
{
    private static readonly HeatEntry[] s_entries =
    [
        Entry("Shop.Orders.OrderService.Cancel(System.Int32)", 0, "src/Orders/OrderService.cs"),
        Entry("Shop.Orders.OrderService.Place", 5, "src/Orders/OrderService.cs"),
        Entry("Shop.Orders.OrderService.#ctor", 1, "src/Orders/OrderService.cs"),
        Entry("Shop.Orders.Refunds.Issue", 0, "src/Orders/Refunds.cs"),
        Entry("Shop.Legacy.Importer.Run", 0, "src/Legacy/Importer.cs"),
        Entry("Shop.Legacy.Importer.Parse(System.String)", 0, "src/Legacy/Importer.cs"),
        Entry("Shop.Billing.Invoice.Print", 2, "src/Billing/Invoice.cs"),
        Entry("Program.<Main>$(System.String[])", 1, "Program.cs"),
    ];

    [Fact]
    public void Namespaces_types_and_methods_carry_cold_over_total_most_cold_first()
    {
        var root = HeatTree.Build(s_entries, TreeGrouping.Namespace);

        Assert.Equal((4, 8, 9L), (root.Cold, root.Total, root.Hits));
        // Orders and Legacy both have 2 cold; Legacy is all cold, so it comes first.
        Assert.Equal(["Shop.Legacy 2/2", "Shop.Orders 2/4", "(global) 0/1", "Shop.Billing 0/1"], root.Children.Select(Text));
        var orders = root.Children[1];
        Assert.Equal(["Refunds 1/1", "OrderService 1/3"], orders.Children.Select(Text));
        Assert.Equal(["Cancel(System.Int32) 1/1", "#ctor 0/1", "Place 0/1"], orders.Children[1].Children.Select(Text));
        Assert.Equal("Shop.Orders.OrderService.Place", orders.Children[1].Children[2].Entry!.Key);
    }

    [Fact]
    public void Folders_files_and_methods_group_by_path()
    {
        var root = HeatTree.Build(s_entries, TreeGrouping.Folder);

        Assert.Equal(["src/Legacy 2/2", "src/Orders 2/4", ". 0/1", "src/Billing 0/1"], root.Children.Select(Text));
        Assert.Equal(["Refunds.cs 1/1", "OrderService.cs 1/3"], root.Children[1].Children.Select(Text));
    }

    [Fact]
    public void A_node_keeps_its_path_when_counts_change_so_its_expanded_state_survives_an_update()
    {
        var before = HeatTree.Build(s_entries, TreeGrouping.Namespace);
        var after = HeatTree.Build(s_entries.Select(e => e with { Count = e.Count + 1 }), TreeGrouping.Namespace);

        var type = before.Children.Single(n => n.Name == "Shop.Orders").Children.Single(n => n.Name == "OrderService");
        var same = after.Children.Single(n => n.Name == "Shop.Orders").Children.Single(n => n.Name == "OrderService");
        Assert.Equal(type.Path, same.Path);
        Assert.Equal((1, 0), (type.Cold, same.Cold));
    }

    [Theory]
    [InlineData("Shop.Orders.OrderService.Cancel(System.Int32)", "Shop.Orders", "OrderService", "Cancel(System.Int32)")]
    [InlineData("Shop.Cache`1.Get``1(``0,`0)", "Shop", "Cache`1", "Get``1(``0,`0)")]
    [InlineData("Shop.Orders.OrderService.#ctor", "Shop.Orders", "OrderService", "#ctor")]
    [InlineData("Program.<Main>$(System.String[])", "(global)", "Program", "<Main>$(System.String[])")]
    [InlineData("Shop.A.B.Run(System.Collections.Generic.List{System.Int32})$2", "Shop.A", "B", "Run(System.Collections.Generic.List{System.Int32})$2")]
    public void Keys_split_into_namespace_type_and_method(string key, string ns, string type, string method)
    {
        var parts = KeyParts.Of(key, "a/b/C.cs");

        Assert.Equal((ns, type, method, "a/b", "C.cs"), (parts.Namespace, parts.Type, parts.Method, parts.Folder, parts.FileName));
    }

    // The tree groups by slices of the key and file; they must be the names KeyParts gives the same src.
    [Theory]
    [InlineData("Shop.Orders.OrderService.Cancel(System.Int32)", "src/Orders/OrderService.cs")]
    [InlineData("Shop.Cache`1.Get``1(``0,`0)", "Cache.cs")]
    [InlineData("Program.<Main>$(System.String[])", "Program.cs")]
    [InlineData("Run", "a/b/c/Run.cs")]
    [InlineData("Shop.A.B.Run(System.Collections.Generic.List{System.Int32})$2", "/root.cs")]
    public void The_tree_groups_a_src_under_the_names_its_key_parts_give(string key, string file)
    {
        var parts = KeyParts.Of(key, file);

        KeyParts.Groups(key, file, TreeGrouping.Namespace, out var ns, out var type);
        KeyParts.Groups(key, file, TreeGrouping.Folder, out var folder, out var name);

        Assert.Equal((parts.Namespace, parts.Type, parts.Folder, parts.FileName), (ns.ToString(), type.ToString(), folder.ToString(), name.ToString()));
    }

    private static string Text(HeatTreeNode node) => $"{node.Name} {node.Cold}/{node.Total}";
}
