namespace Coldmod.Weaver;

/// <summary>
/// One key of a heatmap: how many times the method ran, and where it was (file relative to the root, one-based line)
/// in the build that ran. <paramref name="Estimated"/> is the part of the count the probe estimated rather than counted
/// (0 when exact) and <paramref name="EstimateError"/> that part's standard error, in calls.
/// </summary>
public sealed record HeatmapEntry(string Key, long Count, string File, int Line, long Estimated = 0, double EstimateError = 0)
{
    /// <summary>The entry-point label of the method (<c>GET /todos/{id}</c>), or null when it is none.</summary>
    public string? Label { get; init; }

    /// <summary><c>file:line</c>, as printed by the CLI.</summary>
    public string Location => $"{File}:{Line}";
}
