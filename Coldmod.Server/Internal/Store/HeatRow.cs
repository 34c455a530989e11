namespace Coldmod.Server.Internal.Store;

// EstimateVariance is the sum of the variances reported with the estimated part, in calls squared.
internal sealed record HeatRow(string Key, string File, long Line, long Count, long? FirstSeen, long? LastSeen, long Estimated, double EstimateVariance, long TrackedSince, string Label);
