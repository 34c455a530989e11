namespace Coldmod.Server.Internal.Store;

internal sealed record VersionRow(string Id, string Label, long FirstSeen, long LastSeen, long Processes, long Srcs, bool Current);
