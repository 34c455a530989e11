using Coldmod.TestSupport;

namespace Coldmod.Cli.Tests;

// A checkout as a user would have it after "dotnet build -c Release" (and a publish): two traced projects, one
// of them multi-targeted and published, a project whose PDB is gone, a dependency, intermediate and stray outputs
// the CLI must not read, and a CI build with mapped PDB paths outside bin/.
public sealed class SampleCheckout : IDisposable
{
    public const string CiPrefix = "/ci/agent/work/";

    private readonly TempDirectory _checkout = new("coldmod-cli");
    private readonly TempDirectory _vendor = new("coldmod-vendor");

    public SampleCheckout()
    {
        _checkout.Write("coldmod.rootmarker", """
            # The generated designer code is not worth tracing.
            [ignore]
            files = ["**/*.Designer.cs"]
            keys = []
            """);

        var orders = _checkout.Write("src/Shop/Orders.cs", """
            using System.Threading.Tasks;

            namespace Shop.Orders;

            public sealed class OrderService
            {
                private int _open;

                public OrderService(int open)
                {
                    _open = open;
                }

                public void Cancel(int id)
                {
                    _open -= id;
                }

                public void Cancel(string reason)
                {
                    _open -= reason.Length;
                }

                public async Task<int> ShipAsync(int id)
                {
                    await Task.Yield();
                    return id + _open;
                }

                public int Open => _open;
            }
            """);

        var cart = _checkout.Write("src/Shop/Cart.cs", """
            using System.Collections.Generic;
            using System.Linq;

            namespace Shop;

            public class Cart
            {
                private readonly List<decimal> _prices = new();

                public void Add(decimal price)
                {
                    _prices.Add(price);
                }

                public decimal Total()
                {
                    return _prices.Where(p => p > 0).Sum();
                }
            }
            """);

        var designer = _checkout.Write("src/Shop/Generated/X.Designer.cs", """
            namespace Shop.Generated;

            public static class X
            {
                public static int Value() => 42;
            }
            """);

        var shims = _checkout.Write("src/Shop/Compat/Net8Shims.cs", """
            namespace Shop.Compat;

            internal static class Net8Shims
            {
                public static int Clamp(int value) => value < 0 ? 0 : value;
            }
            """);

        var invoice = _checkout.Write("src/Billing/Invoice.cs", """
            namespace Billing;

            public sealed class Invoice
            {
                public Invoice(string number)
                {
                    Number = number;
                }

                public string Number { get; }

                public decimal Amount { get; set; }

                public string Describe() => $"{Number}: {Amount}";
            }
            """);

        var native = _checkout.Write("src/Billing/Native.cs", """
            namespace Billing;

            public static unsafe class Native
            {
                public static void Call(delegate*<int, void> callback)
                {
                    callback(1);
                }

                public static void Call(delegate*<string, void> callback)
                {
                    callback("one");
                }
            }
            """);

        var old = _checkout.Write("src/Legacy/Old.cs", """
            namespace Legacy;

            public static class Old
            {
                public static int Run() => 1;
            }
            """);

        const string strayText = """
            namespace Stray;

            public static class Leftover
            {
                public static int Run() => 1;
            }
            """;
        _checkout.Write("src/Shop/bin/Stray.cs", strayText);
        var objStray = _checkout.Write("src/Shop/obj/Stray.cs", strayText);

        var pricing = _vendor.Write("Pricing.cs", """
            namespace Vendor.Pricing;

            public static class Rates
            {
                public static decimal Vat(decimal amount) => amount * 0.2m;
            }
            """);

        Shop = Compile("Shop", "src/Shop/bin/Release/net10.0", orders, cart, designer);
        Copy("src/Shop/bin/Release/net10.0", "src/Shop/bin/Release/net10.0/publish", "Shop.dll", "Shop.pdb");

        // The net8.0 target compiles one more file, so it is a different module with mostly the same srcs.
        ShopNet8 = Compile("Shop", "src/Shop/bin/Release/net8.0", orders, cart, designer, shims);

        Billing = Compile("Billing", "src/Billing/bin/Release/net10.0", invoice, native);
        Copy("src/Billing/bin/Release/net10.0", "src/Billing/bin/Staging/net10.0", "Billing.dll", "Billing.pdb");

        BillingCi = TestCompilation.Compile(
            "Billing",
            [new SourceInput(invoice, CiPrefix + "src/Billing/Invoice.cs"), new SourceInput(native, CiPrefix + "src/Billing/Native.cs")],
            _checkout.Combine("artifacts", "ci"),
            optimize: true);

        var legacy = Compile("Legacy", "src/Legacy/bin/Release/net10.0", old);
        File.Delete(legacy.PdbPath!);

        // Read from any of these, the stray class would show up in srcs.
        Compile("Stray", "src/Shop/obj/Release/net10.0", objStray);
        Copy("src/Shop/obj/Release/net10.0", ".cache/bin/Release/net10.0", "Stray.dll", "Stray.pdb");
        Copy("src/Shop/obj/Release/net10.0", "node_modules/stray/bin/Release", "Stray.dll", "Stray.pdb");

        Vendor = TestCompilation.Compile("Vendor.Pricing", [new SourceInput(pricing)], _checkout.Combine("src", "Shop", "bin", "Release", "net10.0"), optimize: true);
        _checkout.Write("src/Shop/bin/Release/net10.0/runtimes/linux-x64/native/libe_sqlite3.dll", "\u007fELF, not a .NET assembly");
    }

    public string Root => _checkout.Path;

    public CompiledAssembly Shop { get; }

    public CompiledAssembly ShopNet8 { get; }

    public CompiledAssembly Billing { get; }

    public CompiledAssembly BillingCi { get; }

    public CompiledAssembly Vendor { get; }

    // The compilations whose srcs "coldmod srcs" lists by default.
    public IReadOnlyList<CompiledAssembly> TracedBuilds => [Shop, ShopNet8, Billing];

    public string Combine(string relativePath) => _checkout.Combine(relativePath.Split('/'));

    public void Dispose()
    {
        _checkout.Dispose();
        _vendor.Dispose();
    }

    private CompiledAssembly Compile(string assemblyName, string outputDirectory, params string[] sources) =>
        TestCompilation.Compile(assemblyName, sources.Select(s => new SourceInput(s)), Combine(outputDirectory), optimize: true);

    private void Copy(string fromDirectory, string toDirectory, params string[] files)
    {
        Directory.CreateDirectory(Combine(toDirectory));
        foreach (var file in files)
        {
            File.Copy(Path.Combine(Combine(fromDirectory), file), Path.Combine(Combine(toDirectory), file));
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SampleCheckoutCollection : ICollectionFixture<SampleCheckout>
{
    public const string Name = "sample checkout";
}
