namespace Coldmod.Server.Internal.Store;

// Found is false when the app has no such version; nothing changed then.
internal sealed record DropResult(bool Found, long Srcs, bool WasCurrent, string Current);
