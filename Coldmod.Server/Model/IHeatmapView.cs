namespace Coldmod.Server.Model;

/// <summary>What the page reads: the apps with their totals and one app's heatmap, kept up to date.</summary>
public interface IHeatmapView
{
    /// <summary>Every app that called Set, by name.</summary>
    public IReadOnlyList<AppSummary> Apps { get; }

    /// <summary>The app's current heatmap; null when the app is unknown.</summary>
    public HeatSnapshot? Snapshot(string app);

    /// <summary>
    /// Calls <paramref name="changed"/> after updates of the app or of the app list, a few times a second at most,
    /// on a thread of the view's own. Disposing the result stops the calls.
    /// </summary>
    public IDisposable Watch(string? app, Action changed);
}
