namespace Coldmod.Cli.Internal;

// The estimated part of a count and its standard error, in calls.
internal readonly record struct Estimate(long Estimated, double Error);
