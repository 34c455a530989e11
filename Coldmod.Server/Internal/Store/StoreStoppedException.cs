namespace Coldmod.Server.Internal.Store;

// The writer is stopping (or never started): the work was not applied.
internal sealed class StoreStoppedException() : Exception("the server is stopping");
