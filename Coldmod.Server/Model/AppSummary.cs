namespace Coldmod.Server.Model;

/// <summary>One app's totals, as the app selector lists them.</summary>
/// <param name="Name">The app's name.</param>
/// <param name="Srcs">Srcs set.</param>
/// <param name="Cold">Srcs never called.</param>
/// <param name="Hits">Calls counted.</param>
/// <param name="ProcessesLastHour">Sender processes that delivered a batch in the last hour.</param>
/// <param name="HitsPerSecond">Calls counted per second, lately.</param>
/// <param name="TrackedSince">When its oldest src was first set; null with no srcs.</param>
public sealed record AppSummary(
    string Name,
    long Srcs,
    long Cold,
    long Hits,
    long ProcessesLastHour,
    double HitsPerSecond,
    DateTimeOffset? TrackedSince)
{
    /// <summary>Percentage of the srcs that are cold.</summary>
    public double ColdPercent => Srcs == 0 ? 0 : 100.0 * Cold / Srcs;
}
