namespace Coldmod.Server.Internal.Store;

// A src whose count changed, as the web view's refresh reads it; times in Unix milliseconds.
internal sealed record ViewChangedRow(string Key, long Count, long? FirstSeen, long? LastSeen);
