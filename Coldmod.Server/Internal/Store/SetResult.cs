namespace Coldmod.Server.Internal.Store;

// VersionUnknown: a version-only Set named a version the store does not have, and nothing changed.
internal sealed record SetResult(long Added, long Removed, long Kept, string Version, bool Current, bool VersionUnknown = false);
