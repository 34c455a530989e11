namespace Coldmod.Server.Model;

/// <summary>An app's heatmap at one moment, shared by every viewer of the app until the next update.</summary>
/// <param name="App">The app.</param>
/// <param name="Entries">The current version's srcs, ordered by key.</param>
/// <param name="Scale">The bands of their counts.</param>
/// <param name="Generation">Grows with each update.</param>
/// <param name="OlderOnly">Srcs that only older retained versions list, ordered by key; not in the totals, bands or tree.</param>
public sealed record HeatSnapshot(string App, IReadOnlyList<HeatEntry> Entries, BandScale Scale, long Generation, IReadOnlyList<HeatEntry>? OlderOnly = null)
{
    // Worked out once per snapshot for every viewer: a page with no filter shows these as they are.
    private IReadOnlyDictionary<Band, int>? _bandCounts;
    private int? _entryPoints;
    private HeatTreeNode? _byNamespace;
    private HeatTreeNode? _byFolder;

    /// <summary>Srcs that only older retained versions list; empty when every src is in the current version.</summary>
    public IReadOnlyList<HeatEntry> Older => OlderOnly ?? [];

    /// <summary>Srcs per band.</summary>
    public IReadOnlyDictionary<Band, int> BandCounts => _bandCounts ??= CountBands();

    /// <summary>Srcs with an entry-point label.</summary>
    public int EntryPoints => _entryPoints ??= Entries.Count(entry => entry.IsEntryPoint);

    /// <summary>The heat tree of every entry; built once and shared, since a tree is never changed once built.</summary>
    public HeatTreeNode Tree(TreeGrouping grouping) => grouping == TreeGrouping.Namespace
        ? _byNamespace ??= HeatTree.Build(Entries, grouping)
        : _byFolder ??= HeatTree.Build(Entries, grouping);

    private Dictionary<Band, int> CountBands()
    {
        var counts = Enum.GetValues<Band>().ToDictionary(b => b, _ => 0);
        foreach (var entry in Entries)
        {
            counts[Scale.Of(entry.Count)]++;
        }

        return counts;
    }
}
