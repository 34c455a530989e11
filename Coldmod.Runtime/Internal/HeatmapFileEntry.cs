namespace Coldmod.Runtime.Internal;

// Estimated is the part of Count the probe estimated (0 when exact), EstimateError that part's standard error in calls.
internal sealed record HeatmapFileEntry(string Key, long Count, string File, int Line, long Estimated = 0, double EstimateError = 0)
{
    public HeatmapFileEntry Plus(long count, long estimated, double estimateError) => this with
    {
        Count = HeatmapFileStore.AddCounts(Count, count),
        Estimated = HeatmapFileStore.AddCounts(Estimated, estimated),
        EstimateError = Math.Sqrt((EstimateError * EstimateError) + (estimateError * estimateError)),
    };
}
