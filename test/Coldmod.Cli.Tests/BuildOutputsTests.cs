using Coldmod.TestSupport;
using Coldmod.Weaver;

namespace Coldmod.Cli.Tests;

[Collection(SampleCheckoutCollection.Name)]
public sealed class BuildOutputsTests(SampleCheckout sample) : IDisposable
{
    private readonly TempDirectory _scratch = new("coldmod-outputs");

    private RootMarker Root => RootMarker.Find(sample.Root);

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Find_returns_every_dll_in_the_configuration_folders_but_not_intermediate_hidden_or_node_modules_outputs()
    {
        var found = BuildOutputs.Find(Root, "Release").Select(p => Root.ToRelativePath(p));

        Assert.Equal(
            [
                "src/Billing/bin/Release/net10.0/Billing.dll",
                "src/Legacy/bin/Release/net10.0/Legacy.dll",
                "src/Shop/bin/Release/net10.0/Shop.dll",
                "src/Shop/bin/Release/net10.0/Vendor.Pricing.dll",
                "src/Shop/bin/Release/net10.0/publish/Shop.dll",
                "src/Shop/bin/Release/net10.0/runtimes/linux-x64/native/libe_sqlite3.dll",
                "src/Shop/bin/Release/net8.0/Shop.dll",
            ],
            found);
    }

    [Fact]
    public void Find_matches_the_configuration_name_regardless_of_case()
    {
        Assert.Equal(BuildOutputs.Find(Root, "Staging"), BuildOutputs.Find(Root, "staging"));
        Assert.Single(BuildOutputs.Find(Root, "staging"));
    }

    [Fact]
    public void FindScannable_keeps_one_copy_of_each_module_with_a_pdb_and_says_why_the_rest_was_left_out()
    {
        var skipped = new List<string>();

        var scannable = BuildOutputs.FindScannable(Root, "Release", (path, reason) => skipped.Add($"{Root.ToRelativePath(path)}: {reason}"));

        Assert.Equal(
            [
                "src/Billing/bin/Release/net10.0/Billing.dll",
                "src/Shop/bin/Release/net10.0/Shop.dll",
                "src/Shop/bin/Release/net10.0/Vendor.Pricing.dll",
                "src/Shop/bin/Release/net8.0/Shop.dll",
            ],
            scannable.Select(p => Root.ToRelativePath(p)));
        Assert.Collection(
            skipped,
            s => Assert.StartsWith("src/Legacy/bin/Release/net10.0/Legacy.dll: no portable PDB", s, StringComparison.Ordinal),
            s => Assert.StartsWith("src/Shop/bin/Release/net10.0/runtimes/linux-x64/native/libe_sqlite3.dll: not a .NET assembly", s, StringComparison.Ordinal),
            s => Assert.StartsWith("src/Shop/bin/Release/net10.0/publish/Shop.dll: a copy of ", s, StringComparison.Ordinal));
    }

    [Fact]
    public void Distinct_prefers_the_copy_with_a_pdb_over_a_nearer_one_without()
    {
        var withoutPdb = Copy(sample.Shop.AssemblyPath, "a");
        var withPdb = Copy(sample.Shop.AssemblyPath, "b/c/d");
        Copy(sample.Shop.PdbPath!, "b/c/d");

        var kept = BuildOutputs.Distinct([withoutPdb, withPdb]);

        Assert.Equal([withPdb], kept);
    }

    [Fact]
    public void Distinct_prefers_the_copy_nearest_the_top_and_keeps_distinct_modules_and_unreadable_files()
    {
        var published = Copy(sample.Shop.AssemblyPath, "out/publish");
        var built = Copy(sample.Shop.AssemblyPath, "out");
        var net8 = Copy(sample.ShopNet8.AssemblyPath, "net8");
        var junk = _scratch.Write("junk.dll", "not an assembly");

        var kept = BuildOutputs.Distinct([published, junk, built, net8]);

        Assert.Equal(new[] { junk, net8, built }.Order(StringComparer.Ordinal), kept);
    }

    [Fact]
    public void Find_does_not_follow_symbolic_links()
    {
        _scratch.Write(RootMarker.FileName, "");
        var output = _scratch.Combine("bin", "Release");
        Copy(sample.Billing.AssemblyPath, "bin/Release");
        Directory.CreateSymbolicLink(Path.Combine(output, "loop"), output);
        Directory.CreateSymbolicLink(_scratch.Combine("linked-project"), _scratch.Path);

        var found = BuildOutputs.Find(RootMarker.Find(_scratch.Path), "Release");

        Assert.Equal([Path.Combine(output, "Billing.dll")], found);
    }

    private string Copy(string file, string toDirectory)
    {
        var directory = _scratch.Combine(toDirectory.Split('/'));
        Directory.CreateDirectory(directory);
        var target = Path.Combine(directory, Path.GetFileName(file));
        File.Copy(file, target);
        return target;
    }
}
