using Coldmod.Weaver;

namespace Coldmod.Cli.Tests;

[Collection(SampleCheckoutCollection.Name)]
public sealed class SrcsCommandTests(SampleCheckout sample)
{
    // Shop is built for net10.0 and net8.0 (which adds Net8Shims.cs) and published; Billing has two overloads
    // that share an ID. Each src appears once however many assemblies hold it.
    private const string ReleaseListing = """
        src/Billing/Invoice.cs
          Billing.Invoice.#ctor(System.String)  src/Billing/Invoice.cs:5
          Billing.Invoice.Describe  src/Billing/Invoice.cs:14
        src/Billing/Native.cs
          Billing.Native.Call()  src/Billing/Native.cs:7
          Billing.Native.Call()$2  src/Billing/Native.cs:12
        src/Shop/Cart.cs
          Shop.Cart.#ctor  src/Shop/Cart.cs:8
          Shop.Cart.Add(System.Decimal)  src/Shop/Cart.cs:12
          Shop.Cart.Total  src/Shop/Cart.cs:17
          Shop.Cart.Total=>0  src/Shop/Cart.cs:17
        src/Shop/Compat/Net8Shims.cs
          Shop.Compat.Net8Shims.Clamp(System.Int32)  src/Shop/Compat/Net8Shims.cs:5
        src/Shop/Orders.cs
          Shop.Orders.OrderService.#ctor(System.Int32)  src/Shop/Orders.cs:9
          Shop.Orders.OrderService.Cancel(System.Int32)  src/Shop/Orders.cs:16
          Shop.Orders.OrderService.Cancel(System.String)  src/Shop/Orders.cs:21
          Shop.Orders.OrderService.ShipAsync(System.Int32)  src/Shop/Orders.cs:26
          Shop.Orders.OrderService.get_Open  src/Shop/Orders.cs:30

        """;

    private const string BillingListing = """
        src/Billing/Invoice.cs
          Billing.Invoice.#ctor(System.String)  src/Billing/Invoice.cs:5
          Billing.Invoice.Describe  src/Billing/Invoice.cs:14
        src/Billing/Native.cs
          Billing.Native.Call()  src/Billing/Native.cs:7
          Billing.Native.Call()$2  src/Billing/Native.cs:12

        """;

    private const string ShopNet10Listing = """
        src/Shop/Cart.cs
          Shop.Cart.#ctor  src/Shop/Cart.cs:8
          Shop.Cart.Add(System.Decimal)  src/Shop/Cart.cs:12
          Shop.Cart.Total  src/Shop/Cart.cs:17
          Shop.Cart.Total=>0  src/Shop/Cart.cs:17
        src/Shop/Orders.cs
          Shop.Orders.OrderService.#ctor(System.Int32)  src/Shop/Orders.cs:9
          Shop.Orders.OrderService.Cancel(System.Int32)  src/Shop/Orders.cs:16
          Shop.Orders.OrderService.Cancel(System.String)  src/Shop/Orders.cs:21
          Shop.Orders.OrderService.ShipAsync(System.Int32)  src/Shop/Orders.cs:26
          Shop.Orders.OrderService.get_Open  src/Shop/Orders.cs:30

        """;

    private const string DuplicateKeyWarning =
        "src/Billing/Native.cs(12): warning CM0006: Methods at src/Billing/Native.cs:7 and src/Billing/Native.cs:12 share the documentation comment ID 'Billing.Native.Call()' (overloads that differ only in function pointer types do); the second is keyed 'Billing.Native.Call()$2'.";

    private RootMarker Root => RootMarker.Find(sample.Root);

    [Fact]
    public void The_expected_listings_agree_with_Roslyn()
    {
        RoslynOracle.Verify(ReleaseListing, Root, sample.TracedBuilds.Select(b => b.Compilation));
        RoslynOracle.Verify(BillingListing, Root, [sample.Billing.Compilation]);
        RoslynOracle.Verify(ShopNet10Listing, Root, [sample.Shop.Compilation]);
    }

    [Fact]
    public void Lists_the_srcs_of_the_release_builds_grouped_by_file_with_warnings_and_a_summary_on_stderr()
    {
        var result = Cli.Run(sample.Root, "srcs");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(ReleaseListing, result.Out);

        // Dependencies, copies, a build without PDB and a native file are skipped silently: only the scan's
        // warning and the summary are printed.
        Assert.Equal([DuplicateKeyWarning, "14 srcs in 5 files from 3 assemblies"], result.ErrorLines);
    }

    [Fact]
    public void Finds_the_same_srcs_when_run_from_a_subdirectory()
    {
        var result = Cli.Run(sample.Combine("src/Shop/Compat"), "srcs");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(ReleaseListing, result.Out);
    }

    [Fact]
    public void Verbose_tells_what_was_read_and_why_the_rest_was_skipped()
    {
        var result = Cli.Run(sample.Root, "srcs", "--verbose");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(ReleaseListing, result.Out);
        var published = sample.Combine("src/Shop/bin/Release/net10.0/Shop.dll");
        Assert.Equal(
            [
                "coldmod: skipped src/Legacy/bin/Release/net10.0/Legacy.dll: no portable PDB beside it or embedded, so its methods cannot be mapped to source",
                "coldmod: skipped src/Shop/bin/Release/net10.0/runtimes/linux-x64/native/libe_sqlite3.dll: not a .NET assembly (Unknown file format.)",
                $"coldmod: skipped src/Shop/bin/Release/net10.0/publish/Shop.dll: a copy of {published} (same module version id {Mvid(published)})",
                "coldmod: read src/Billing/bin/Release/net10.0/Billing.dll: 4 srcs",
                "coldmod: read src/Shop/bin/Release/net10.0/Shop.dll: 9 srcs",
                "coldmod: skipped src/Shop/bin/Release/net10.0/Vendor.Pricing.dll: none of its PDB documents is under the root (a dependency, or built from another checkout)",
                "coldmod: read src/Shop/bin/Release/net8.0/Shop.dll: 10 srcs",
                DuplicateKeyWarning,
                "14 srcs in 5 files from 3 assemblies",
            ],
            result.ErrorLines);

        // Intermediate outputs, hidden directories and node_modules are not even looked at.
        Assert.DoesNotContain("obj/", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(".cache", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("node_modules", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Reads_the_given_assemblies_only_and_each_module_once()
    {
        var result = Cli.Run(
            sample.Root,
            "srcs",
            "-a", "src/Shop/bin/Release/net10.0/publish/Shop.dll",
            "--assembly", "src/Shop/bin/Release/net10.0/Shop.dll");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(ShopNet10Listing, result.Out);
        Assert.Equal(["9 srcs in 2 files from 1 assembly"], result.ErrorLines);
    }

    [Fact]
    public void Resolves_given_assemblies_against_the_working_directory()
    {
        var result = Cli.Run(sample.Combine("src/Billing"), "srcs", "-a", "bin/Release/net10.0/Billing.dll");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(BillingListing, result.Out);
    }

    [Fact]
    public void Reads_another_configuration_by_name()
    {
        var result = Cli.Run(sample.Root, "srcs", "-c", "Staging");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(BillingListing, result.Out);
        Assert.Equal([DuplicateKeyWarning, "4 srcs in 2 files from 1 assembly"], result.ErrorLines);
    }

    [Fact]
    public void A_configuration_without_a_build_says_where_it_looked_and_how_to_build()
    {
        var result = Cli.Run(sample.Root, "srcs", "-c", "Debug");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal(
            $"coldmod: error CM0007: No Debug build found under {sample.Root} (looked for bin/Debug/**/*.dll with a portable PDB); build one with: dotnet build -c Debug\n",
            result.Error);
    }

    [Fact]
    public void A_deterministic_build_is_read_through_its_source_root_mapping()
    {
        var result = Cli.Run(sample.Root, "srcs", "-a", "artifacts/ci/Billing.dll", "--source-root", SampleCheckout.CiPrefix + "=.");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(BillingListing, result.Out);
    }

    [Fact]
    public void A_relative_source_root_is_resolved_against_the_root_directory_from_a_subdirectory()
    {
        var result = Cli.Run(sample.Combine("src/Billing"), "srcs", "-a", "../../artifacts/ci/Billing.dll", "--source-root", SampleCheckout.CiPrefix + "=.");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(BillingListing, result.Out);
        Assert.Equal([DuplicateKeyWarning, "4 srcs in 2 files from 1 assembly"], result.ErrorLines);
    }

    [Fact]
    public void A_source_root_that_maps_to_missing_files_is_warned_about_with_the_first_document()
    {
        // Relative to the working directory this would be right; relative to the root it maps to src/Billing/src/Billing/.
        var result = Cli.Run(sample.Combine("src/Billing"), "srcs", "-a", "../../artifacts/ci/Billing.dll", "--no-cache", "--source-root", SampleCheckout.CiPrefix + "=src/Billing");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(
            $"coldmod: warning CM0012: 2 of the 2 traced documents the source roots map do not exist on disk; the first: {SampleCheckout.CiPrefix}src/Billing/Invoice.cs maps to {sample.Combine("src/Billing/src/Billing/Invoice.cs")}. Check the LOCAL side of the mapping (a relative --source-root LOCAL is resolved against the root directory {sample.Root}).",
            result.ErrorLines[0]);
    }

    [Fact]
    public void A_source_root_that_maps_to_existing_files_gives_no_missing_file_warning()
    {
        var result = Cli.Run(sample.Root, "srcs", "-a", "artifacts/ci/Billing.dll", "--no-cache", "--source-root", SampleCheckout.CiPrefix + "=" + sample.Root);

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.DoesNotContain(result.ErrorLines, line => line.Contains("CM0012", StringComparison.Ordinal));
    }

    [Fact]
    public void A_given_assembly_built_from_elsewhere_is_reported_instead_of_skipped()
    {
        var result = Cli.Run(sample.Root, "srcs", "-a", "artifacts/ci/Billing.dll");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.Equal(
            [
                $"{sample.Combine("artifacts/ci/Billing.dll")}: warning: none of its PDB documents is under the root {sample.Root}, so nothing in it is traced; it is a dependency or was built from another checkout (map a deterministic build's paths with --source-root MAPPED=LOCAL)",
                $"coldmod: error CM0007: None of the given assemblies was built from the sources under {sample.Root} with a portable PDB (see the warnings above).",
            ],
            result.ErrorLines);
    }

    [Fact]
    public void A_given_assembly_without_a_pdb_is_reported()
    {
        var legacy = sample.Combine("src/Legacy/bin/Release/net10.0/Legacy.dll");

        var result = Cli.Run(sample.Root, "srcs", "-a", legacy);

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal(2, result.ErrorLines.Length);
        Assert.StartsWith($"{legacy}: warning CM0005: ", result.ErrorLines[0], StringComparison.Ordinal);
        Assert.StartsWith("coldmod: error CM0007: ", result.ErrorLines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_assembly_is_an_error()
    {
        var result = Cli.Run(sample.Root, "srcs", "-a", "bin/Release/net10.0/Nowhere.dll");

        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Equal($"coldmod: error CM0004: Assembly not found: {sample.Combine("bin/Release/net10.0/Nowhere.dll")}\n", result.Error);
    }

    [Theory]
    [InlineData("srcs", "-c", "Debug", "-a", "Shop.dll")]
    [InlineData("srcs", "--source-root", "/_/")]
    [InlineData("srcs", "--configuration", "../Release")]
    [InlineData("srcs", "-c")]
    [InlineData("srcs", "-c", "-v")]
    [InlineData("srcs", "-a", "Shop.dll", "--assembly")]
    public void Bad_option_values_are_usage_errors(params string[] args)
    {
        var result = Cli.Run(sample.Root, args);

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal("", result.Out);
        Assert.All(result.ErrorLines[..^1], line => Assert.StartsWith("coldmod: error: ", line, StringComparison.Ordinal));
        Assert.Equal("Run 'coldmod srcs --help' for its options.", result.ErrorLines[^1]);
    }

    [Fact]
    public void An_option_without_its_value_is_named_in_the_error()
    {
        var result = Cli.Run(sample.Root, "srcs", "--configuration");

        Assert.Equal(ExitCodes.Usage, result.ExitCode);
        Assert.Equal(["coldmod: error: Option '--configuration' needs a value.", "Run 'coldmod srcs --help' for its options."], result.ErrorLines);
    }

    private static Guid Mvid(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
        return metadata.GetGuid(metadata.GetModuleDefinition().Mvid);
    }
}
