namespace Coldmod.Server.Internal.Connect;

// The mutable side of one session; ConnectSessions guards every field with its lock.
internal sealed class SessionState(ConnectSession snapshot)
{
    public ConnectSession Snapshot { get; set; } = snapshot;

    // The stream that holds the session now; null while its CLI is away.
    public ConnectLink? Link { get; set; }

    public DateTimeOffset DisconnectedAt { get; set; }

    // The chunks of an inventory still being received; null between inventories.
    public Dictionary<string, LocalKey>? IncomingKeys { get; set; }
}
