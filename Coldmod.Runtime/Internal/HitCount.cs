namespace Coldmod.Runtime.Internal;

// Calls of one key since the previous drain. Estimated is the part of Count that the sampler estimated rather than
// counted (0 when exact), and EstimateVariance that estimate's variance in calls squared (variances add).
internal readonly record struct HitCount(string Key, long Count, long Estimated = 0, double EstimateVariance = 0)
{
    public static HitCount Sum(HitCount a, HitCount b) =>
        new(a.Key, HeatmapFileStore.AddCounts(a.Count, b.Count), HeatmapFileStore.AddCounts(a.Estimated, b.Estimated), a.EstimateVariance + b.EstimateVariance);
}
