using Coldmod.TestSupport;
using Coldmod.Weaver.Tests.Infrastructure;

namespace Coldmod.Weaver.Tests.Scanning;

public sealed class SrcScannerTests(CorpusFixture corpus) : IClassFixture<CorpusFixture>
{
    private const string BothGlobs = """
        [ignore]
        files = ["**/Migrations/**", "**/*.Designer.cs"]
        """;

    [Fact]
    public void An_assembly_whose_sources_are_all_outside_the_root_has_no_srcs()
    {
        var vendored = corpus.Sources.Where(s => s.RootRelativePath is null).ToList();
        Assert.NotEmpty(vendored);
        using var output = new TempDirectory();
        var assembly = TestCompilation.Compile("Vendor", vendored.Select(s => new SourceInput(s.DiskPath)), output.Path, optimize: true);

        var scan = SrcScanner.Scan(assembly.AssemblyPath, corpus.Root);

        Assert.Empty(scan.Srcs);
        Assert.False(scan.HasDocumentsUnderRoot);
        Assert.Empty(scan.Warnings);
    }

    [Fact]
    public void An_assembly_without_a_PDB_has_no_srcs_and_a_CM0005_warning()
    {
        var source = corpus.Sources.First(s => s.RootRelativePath == "src/Shop/Pricing/Money.cs");
        using var output = new TempDirectory();
        var assembly = TestCompilation.Compile("Pricing", [new SourceInput(source.DiskPath)], output.Path, optimize: true);
        Assert.NotEmpty(SrcScanner.Scan(assembly.AssemblyPath, corpus.Root).Srcs);

        File.Delete(assembly.PdbPath!);
        var scan = SrcScanner.Scan(assembly.AssemblyPath, corpus.Root);

        Assert.Empty(scan.Srcs);
        var warning = Assert.Single(scan.Warnings);
        Assert.Equal(DiagnosticCodes.PdbMissing, warning.Code);
        Assert.Contains(assembly.AssemblyPath, warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_root_map_brings_back_documents_recorded_under_another_machine_s_checkout()
    {
        // An absolute agent path is no deterministic /_/ prefix: nothing but the map can find these files.
        const string AgentCheckout = "/home/agent/_work/7/s/";
        var mapped = corpus.BuildWithDocumentRoot(AgentCheckout, SourceRootMap.Parse([$"{AgentCheckout}={corpus.RootDirectory}"]));

        var scan = mapped.Scan(corpus.Root);
        var unmapped = SrcScanner.Scan(mapped.Assembly.AssemblyPath, corpus.Root);

        var differences = SrcComparison.Differences(corpus.Expect(mapped), scan.Srcs);
        Assert.True(differences.Count == 0, SrcComparison.Describe($"{mapped.Variant}: scanner vs Roslyn", differences));
        Assert.True(scan.HasDocumentsUnderRoot);
        Assert.Empty(unmapped.Srcs);
        Assert.False(unmapped.HasDocumentsUnderRoot);
    }

    [Fact]
    public void Ignore_keys_removes_exactly_the_listed_key()
    {
        var build = corpus.Build(CorpusVariants.Release);
        var everyKey = Keys(build.Scan(corpus.LoadMarker(BothGlobs)));

        var kept = Keys(build.Scan(corpus.Root));

        Assert.Equal([CorpusFixture.IgnoredKey], everyKey.Except(kept));
        Assert.Empty(kept.Except(everyKey));
    }

    [Fact]
    public void Ignore_keys_match_whole_keys_exactly()
    {
        var build = corpus.Build(CorpusVariants.Release);
        var everyKey = Keys(build.Scan(corpus.LoadMarker(BothGlobs)));
        var nearMisses = corpus.LoadMarker(BothGlobs + $"""

            keys = ["M:{CorpusFixture.IgnoredKey}", "{CorpusFixture.IgnoredKey.ToLowerInvariant()}", "Shop.Legacy.CsvImporter.Import", "Shop.Legacy.CsvImporter"]
            """);

        var kept = Keys(build.Scan(nearMisses));

        Assert.Equal(everyKey, kept);
    }

    [Fact]
    public void A_double_star_glob_ignores_matching_files_at_any_depth_and_nothing_else()
    {
        var build = corpus.Build(CorpusVariants.Release);
        var all = build.Scan(corpus.LoadMarker("")).Srcs;
        var withoutMigrations = build.Scan(corpus.LoadMarker("""
            [ignore]
            files = ["**/Migrations/**"]
            """)).Srcs;
        var withoutDesigners = build.Scan(corpus.LoadMarker("""
            [ignore]
            files = ["**/*.Designer.cs"]
            """)).Srcs;

        // The corpus has matches one and two folders deep for each glob.
        Assert.Equal(
            ["src/Migrations/20240101120000_InitialCreate.cs", "src/Migrations/Snapshots/ShopModelSnapshot.cs"],
            FilesLosingSrcs(all, withoutMigrations));
        Assert.Equal(
            ["src/Generated/ShopResources.Designer.cs", "src/Shop/Ui/MainForm.Designer.cs"],
            FilesLosingSrcs(all, withoutDesigners));
        Assert.All(all.Where(s => s.File.Contains("/Migrations/", StringComparison.Ordinal)), s => Assert.DoesNotContain(s, withoutMigrations));
        Assert.All(all.Where(s => s.File.EndsWith(".Designer.cs", StringComparison.Ordinal)), s => Assert.DoesNotContain(s, withoutDesigners));
    }

    [Fact]
    public void A_constructor_keeps_its_declaration_when_the_initializers_it_runs_are_in_an_ignored_file()
    {
        // Like a WinForms form: the designer half declares `components = null`, which a Debug build runs first
        // in the constructor declared in the traced half.
        var build = corpus.Build(CorpusVariants.Debug);
        var constructor = Assert.Single(corpus.Expect(build), e => e.Key == "Shop.Ui.MainForm.#ctor(Shop.Orders.OrderService)");

        var scan = build.Scan(corpus.Root);

        var src = Assert.Single(scan.Srcs, s => s.Key == constructor.Key);
        Assert.Equal("src/Shop/Ui/MainForm.cs", src.File);
        Assert.True(constructor.Declaration!.Contains(src.File, src.Line), $"{src.Location} is not in {constructor.Declaration}");
    }

    private static List<string> Keys(SrcScan scan) => scan.Srcs.Select(s => s.Key).Order(StringComparer.Ordinal).ToList();

    private static List<string> FilesLosingSrcs(IReadOnlyList<TraceSrc> all, IReadOnlyList<TraceSrc> remaining)
    {
        var kept = remaining.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        return all.Where(s => !kept.Contains(s.Key)).Select(s => s.File).Distinct().Order(StringComparer.Ordinal).ToList();
    }
}
