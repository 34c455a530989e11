namespace Coldmod.Server.Internal.Store;

internal static class StoreRetention
{
    // Longer than a sender keeps retrying one batch; see Collect in coldmod.proto.
    public static readonly TimeSpan Sequences = TimeSpan.FromDays(30);

    public static void LogExpired(ILogger logger, List<(string App, string Version)> expired, TimeSpan retention)
    {
        foreach (var (app, version) in expired)
        {
            ServerLog.VersionExpired(logger, app, version, retention);
        }
    }
}
