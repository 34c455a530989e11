namespace Coldmod.Server.Internal.Store;

internal sealed record StatusCounts(
    IReadOnlyList<string> Apps,
    long Srcs,
    long Cold,
    long HitsTotal,
    long UnknownKeyHits,
    long BatchesApplied,
    long DuplicateBatches,
    long OlderSrcs,
    long Versions);
