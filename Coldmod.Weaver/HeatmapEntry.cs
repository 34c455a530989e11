namespace Coldmod.Weaver;

/// <summary>
/// One key of a heatmap: how many times the method ran, and where it was (file relative to the root, one-based line)
/// in the build that ran.
/// </summary>
public sealed record HeatmapEntry(string Key, long Count, string File, int Line)
{
    /// <summary>The entry-point label of the method (<c>GET /todos/{id}</c>), or null when it is none.</summary>
    public string? Label { get; init; }

    /// <summary><c>file:line</c>, as printed by the CLI.</summary>
    public string Location => $"{File}:{Line}";
}
