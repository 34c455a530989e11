using Coldmod.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace Coldmod.Weaver.Tests.Infrastructure;

/// <summary>
/// The corpus laid out as an application checkout: its sources under <c>app/src/</c>, a rootmarker in <c>app/</c>
/// that ignores generated files and one key, and a vendored file in another directory (outside the root) that is
/// compiled into the same assembly. Each build variant is compiled on first use; xunit makes one fixture per test
/// class, so a class compiles each variant it uses once.
/// </summary>
public sealed class CorpusFixture : IDisposable
{
    public const string AssemblyName = "Shop";

    /// <summary>A real key of the corpus, listed in <c>[ignore] keys</c>.</summary>
    public const string IgnoredKey = "Shop.Legacy.CsvImporter.Import(System.IO.TextReader)";

    public const string MarkerText = $"""
        # Written by the test fixture.
        [ignore]
        files = ["**/Migrations/**", "**/*.Designer.cs"]
        keys = ["{IgnoredKey}"]
        """;

    // Corpus files under this folder are placed outside the root.
    private const string OutsidePrefix = "Outside/";

    // What a deterministic CI build writes into the PDB in place of the root directory (PathMap).
    private const string DeterministicPrefix = "/_/";

    // The PDB path a PathMap'd build records in the assembly's CodeView entry.
    private const string DeterministicPdbPath = DeterministicPrefix + "obj/Release/net8.0/" + AssemblyName + ".pdb";

    private const string SourceLinkJson = """{"documents":{"/_/*":"https://git.example/shop/raw/0123abcd/*"}}""";

    // The attribute-only file the SDK generates in obj/ (no method bodies, so no sequence point names it).
    private const string AssemblyInfoText = """
        [assembly: System.Reflection.AssemblyCompanyAttribute("Shop")]
        [assembly: System.Reflection.AssemblyInformationalVersionAttribute("1.0.0+0123abcd")]
        """;

    private readonly TempDirectory _workspace = new("coldmod-corpus");
    private readonly TempDirectory _vendor = new("coldmod-vendor");
    private readonly Dictionary<string, Lazy<CorpusBuild>> _builds;

    public CorpusFixture()
    {
        RootDirectory = _workspace.Combine("app");
        VendorDirectory = _vendor.Path;
        Sources = LayOut();
        Root = RootMarker.Load(WriteMarker(MarkerText));

        var deterministic = new Lazy<CompiledCorpus>(() => Compile(
            CorpusVariants.DeterministicMapped,
            optimize: true,
            embedPdb: false,
            pdbPathOf: MappedPath,
            new PdbExtras(PdbPathInImage: DeterministicPdbPath)));
        _builds = new Dictionary<string, Lazy<CorpusBuild>>(StringComparer.Ordinal)
        {
            [CorpusVariants.Debug] = CompiledOnFirstUse(CorpusVariants.Debug, optimize: false, embedPdb: false),
            [CorpusVariants.Release] = CompiledOnFirstUse(CorpusVariants.Release, optimize: true, embedPdb: false),
            [CorpusVariants.ReleaseEmbeddedPdb] = CompiledOnFirstUse(CorpusVariants.ReleaseEmbeddedPdb, optimize: true, embedPdb: true),
            [CorpusVariants.DeterministicMapped] = new(() => deterministic.Value.ToBuild(
                CorpusVariants.DeterministicMapped, SourceRootMap.Parse([$"{DeterministicPrefix}={RootDirectory}/"]))),
            // The same assembly without a map: the scanner has to find where the /_/ paths live on this disk.
            [CorpusVariants.DeterministicUnmapped] = new(() => deterministic.Value.ToBuild(CorpusVariants.DeterministicUnmapped, sourceRoots: null)),
            [CorpusVariants.EmbedUntrackedSources] = new(() => CompileWithAssemblyInfo(
                CorpusVariants.EmbedUntrackedSources, pdbPathOf: _ => null, assemblyInfo => new PdbExtras([EmbeddedText.FromSource(assemblyInfo.Path, assemblyInfo.Text)]))
                .ToBuild(CorpusVariants.EmbedUntrackedSources, sourceRoots: null)),
            [CorpusVariants.SourceLink] = new(() => CompileWithAssemblyInfo(
                CorpusVariants.SourceLink, MappedPath, assemblyInfo => new PdbExtras(
                    [EmbeddedText.FromSource(assemblyInfo.Path, assemblyInfo.Text)],
                    SourceLink: SourceLinkJson,
                    PdbPathInImage: DeterministicPdbPath))
                .ToBuild(CorpusVariants.SourceLink, SourceRootMap.Parse([$"{DeterministicPrefix}={RootDirectory}/"]))),
        };
    }

    /// <summary>The full path of the root (the directory holding coldmod.rootmarker).</summary>
    public string RootDirectory { get; }

    /// <summary>The full path of the directory outside the root that holds the vendored file.</summary>
    public string VendorDirectory { get; }

    /// <summary>The marker written with <see cref="MarkerText"/>.</summary>
    public RootMarker Root { get; }

    public IReadOnlyList<CorpusSource> Sources { get; }

    /// <summary>The corpus folder copied beside the test assembly.</summary>
    public static string CorpusDirectory => Path.Combine(AppContext.BaseDirectory, "Corpus");

    /// <summary>
    /// True when a root-relative path matches one of the two globs of <see cref="MarkerText"/>. Spelled out by hand:
    /// the oracle must not borrow the scanner's glob matcher to decide what the scanner should ignore.
    /// </summary>
    public static bool IsIgnoredByMarker(string relativePath) =>
        relativePath.EndsWith(".Designer.cs", StringComparison.Ordinal) ||
        relativePath.Split('/')[..^1].Contains("Migrations", StringComparer.Ordinal);

    public CorpusBuild Build(string variant) => _builds[variant].Value;

    /// <summary>
    /// Compiles a Release build whose PDB records the root's files under <paramref name="documentRoot"/> (as a build
    /// on a CI agent without PathMap does), to be scanned with <paramref name="sourceRoots"/>.
    /// </summary>
    public CorpusBuild BuildWithDocumentRoot(string documentRoot, SourceRootMap? sourceRoots) =>
        Compile($"Release-{Guid.NewGuid():N}", optimize: true, embedPdb: false, pdbPathOf: s => s.RootRelativePath is null ? null : documentRoot + s.RootRelativePath)
            .ToBuild($"Release, documents under {documentRoot}", sourceRoots);

    /// <summary>The srcs Roslyn's symbols say <paramref name="build"/> has under <see cref="Root"/>.</summary>
    public IReadOnlyList<ExpectedSrc> Expect(CorpusBuild build) =>
        KeyOracle.Expect(build, IsIgnoredByMarker, new HashSet<string>([IgnoredKey], StringComparer.Ordinal));

    /// <summary>
    /// Writes <paramref name="toml"/> as the root's marker and loads it. Loaded markers keep their configuration in
    /// memory, so markers loaded earlier (including <see cref="Root"/>) are unaffected.
    /// </summary>
    public RootMarker LoadMarker(string toml) => RootMarker.Load(WriteMarker(toml));

    public void Dispose()
    {
        _workspace.Dispose();
        _vendor.Dispose();
    }

    private List<CorpusSource> LayOut()
    {
        var sources = new List<CorpusSource>();
        var corpus = CorpusDirectory;
        foreach (var file in Directory.EnumerateFiles(corpus, "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var relative = Path.GetRelativePath(corpus, file).Replace('\\', '/');
            var source = relative.StartsWith(OutsidePrefix, StringComparison.Ordinal)
                ? new CorpusSource(Path.Combine(VendorDirectory, relative[OutsidePrefix.Length..]), null)
                : new CorpusSource(Path.Combine(RootDirectory, "src", relative), "src/" + relative);
            Directory.CreateDirectory(Path.GetDirectoryName(source.DiskPath)!);
            File.Copy(file, source.DiskPath);
            sources.Add(source);
        }

        return sources;
    }

    private string WriteMarker(string toml)
    {
        var path = Path.Combine(RootDirectory, RootMarker.FileName);
        File.WriteAllText(path, toml);
        return path;
    }

    private Lazy<CorpusBuild> CompiledOnFirstUse(string variant, bool optimize, bool embedPdb) =>
        new(() => Compile(variant, optimize, embedPdb, pdbPathOf: _ => null).ToBuild(variant, sourceRoots: null));

    private static string? MappedPath(CorpusSource source) =>
        source.RootRelativePath is null ? null : DeterministicPrefix + source.RootRelativePath;

    // The generated file is written under the variant's own obj/ folder and compiled with the corpus.
    private CompiledCorpus CompileWithAssemblyInfo(string variant, Func<CorpusSource, string?> pdbPathOf, Func<(string Path, SourceText Text), PdbExtras> extras)
    {
        var relative = $"obj/{DirectoryNameOf(variant)}/{AssemblyName}.AssemblyInfo.cs";
        var assemblyInfo = new CorpusSource(Path.Combine(RootDirectory, relative), relative);
        Directory.CreateDirectory(Path.GetDirectoryName(assemblyInfo.DiskPath)!);
        File.WriteAllText(assemblyInfo.DiskPath, AssemblyInfoText);
        var text = SourceText.From(AssemblyInfoText, System.Text.Encoding.UTF8);
        return Compile(variant, optimize: true, embedPdb: false, pdbPathOf, extras((pdbPathOf(assemblyInfo) ?? assemblyInfo.DiskPath, text)), [assemblyInfo]);
    }

    private static string DirectoryNameOf(string variant) => variant.Replace(", ", "-", StringComparison.Ordinal).Replace(' ', '-');

    private CompiledCorpus Compile(
        string variant,
        bool optimize,
        bool embedPdb,
        Func<CorpusSource, string?> pdbPathOf,
        PdbExtras? extras = null,
        IReadOnlyList<CorpusSource>? generated = null)
    {
        var inputs = Sources.Concat(generated ?? []).Select(s => (Source: s, Input: new SourceInput(s.DiskPath, pdbPathOf(s)))).ToList();
        var assembly = TestCompilation.Compile(
            AssemblyName,
            inputs.Select(i => i.Input),
            _workspace.Combine("out", DirectoryNameOf(variant)),
            optimize,
            embedPdb,
            pdbExtras: extras);
        return new CompiledCorpus(assembly, optimize, inputs.ToDictionary(i => i.Input.PdbPath ?? i.Input.DiskPath, i => i.Source, StringComparer.Ordinal));
    }

    private sealed record CompiledCorpus(CompiledAssembly Assembly, bool Optimized, IReadOnlyDictionary<string, CorpusSource> SourcesByTreePath)
    {
        public CorpusBuild ToBuild(string variant, SourceRootMap? sourceRoots) => new(variant, Assembly, Optimized, sourceRoots, SourcesByTreePath);
    }
}
