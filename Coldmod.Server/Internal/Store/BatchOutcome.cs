namespace Coldmod.Server.Internal.Store;

internal enum BatchOutcome
{
    Applied,
    Duplicate,
    UnknownApp,
    // Not applied because an earlier batch of the same Collect stream failed.
    Skipped,
}
