namespace Coldmod.Server.Internal.Store;

internal sealed record SetResult(long Added, long Removed, long Kept);
