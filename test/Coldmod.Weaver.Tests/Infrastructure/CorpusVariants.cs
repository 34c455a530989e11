namespace Coldmod.Weaver.Tests.Infrastructure;

/// <summary>The ways the corpus is built and scanned, as a real application would be.</summary>
public static class CorpusVariants
{
    public const string Debug = "Debug";

    public const string Release = "Release";

    public const string ReleaseEmbeddedPdb = "Release, embedded PDB";

    /// <summary>Release with PathMap'd document paths (<c>/_/src/…</c>), scanned with the <c>/_/=root/</c> source root map.</summary>
    public const string DeterministicMapped = "Deterministic CI, mapped";

    /// <summary>The same assembly scanned without a map.</summary>
    public const string DeterministicUnmapped = "Deterministic CI, unmapped";

    /// <summary>Release with a generated, attribute-only source file embedded in the PDB, as <c>EmbedUntrackedSources</c> does for AssemblyInfo.</summary>
    public const string EmbedUntrackedSources = "Release, EmbedUntrackedSources";

    /// <summary>The deterministic CI build with a Source Link map and the CodeView path a PathMap'd build records.</summary>
    public const string SourceLink = "Deterministic CI, Source Link";

    public static IReadOnlyList<string> All { get; } = [Debug, Release, ReleaseEmbeddedPdb, DeterministicMapped, DeterministicUnmapped];

    /// <summary>Every way a build writes its PDB; scanned without the key oracle (their extra documents hold no methods).</summary>
    public static IReadOnlyList<string> PdbFlavours { get; } = [Debug, Release, ReleaseEmbeddedPdb, DeterministicMapped, EmbedUntrackedSources, SourceLink];

    public static TheoryData<string> Theory => TheoryOf(All);

    public static TheoryData<string> PdbTheory => TheoryOf(PdbFlavours);

    private static TheoryData<string> TheoryOf(IReadOnlyList<string> variants)
    {
        var data = new TheoryData<string>();
        foreach (var variant in variants)
        {
            data.Add(variant);
        }

        return data;
    }
}
