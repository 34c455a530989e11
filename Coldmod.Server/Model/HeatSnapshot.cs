namespace Coldmod.Server.Model;

/// <summary>An app's heatmap at one moment, shared by every viewer of the app until the next update.</summary>
/// <param name="App">The app.</param>
/// <param name="Entries">Its srcs, ordered by key.</param>
/// <param name="Scale">The bands of their counts.</param>
/// <param name="Generation">Grows with each update.</param>
public sealed record HeatSnapshot(string App, IReadOnlyList<HeatEntry> Entries, BandScale Scale, long Generation);
