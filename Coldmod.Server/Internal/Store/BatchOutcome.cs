namespace Coldmod.Server.Internal.Store;

internal enum BatchOutcome
{
    Applied,
    Duplicate,
    UnknownApp,
    // The batch names a version the store does not have (dropped): its process must set it again.
    UnknownVersion,
    // Not applied because an earlier batch of the same Collect stream failed.
    Skipped,
}
