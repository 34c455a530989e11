namespace Coldmod.Cli.Tests;

[Collection(SampleCheckoutCollection.Name)]
public sealed class FilesCommandTests(SampleCheckout sample)
{
    // Not listed: the ignored designer file, the stray sources in bin/ and obj/, and the vendor's source outside the root.
    private const string Listing = """
        src/Billing/Invoice.cs
        src/Billing/Native.cs
        src/Legacy/Old.cs
        src/Shop/Cart.cs
        src/Shop/Compat/Net8Shims.cs
        src/Shop/Orders.cs

        """;

    [Fact]
    public void Lists_the_traced_source_files_relative_to_the_root()
    {
        var result = Cli.Run(sample.Root, "files");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(Listing, result.Out);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public void Lists_the_same_files_when_run_from_a_subdirectory()
    {
        var result = Cli.Run(sample.Combine("src/Shop/bin"), "files");

        Assert.Equal(ExitCodes.Success, result.ExitCode);
        Assert.Equal(Listing, result.Out);
    }
}
