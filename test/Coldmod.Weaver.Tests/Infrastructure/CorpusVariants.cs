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

    public static IReadOnlyList<string> All { get; } = [Debug, Release, ReleaseEmbeddedPdb, DeterministicMapped, DeterministicUnmapped];

    public static TheoryData<string> Theory
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var variant in All)
            {
                data.Add(variant);
            }

            return data;
        }
    }
}
