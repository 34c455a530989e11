namespace Coldmod.Server.Internal;

// Event ids are part of the operator's contract: never renumber, only add.
internal static partial class ServerLog
{
    [LoggerMessage(1, LogLevel.Information, "Created the store {Path} (schema version {Version})")]
    public static partial void StoreCreated(ILogger logger, string path, int version);

    [LoggerMessage(2, LogLevel.Information, "Opened the store {Path} (schema version {Version})")]
    public static partial void StoreOpened(ILogger logger, string path, int version);

    [LoggerMessage(3, LogLevel.Information, "Upgraded the store {Path} from schema version {FromVersion} to {ToVersion}")]
    public static partial void StoreMigrated(ILogger logger, string path, int fromVersion, int toVersion);

    [LoggerMessage(4, LogLevel.Information, "Closed the store {Path}")]
    public static partial void StoreClosed(ILogger logger, string path);

    [LoggerMessage(5, LogLevel.Debug, "Forgot {Count} sender processes that sent nothing for 30 days")]
    public static partial void SequencesPruned(ILogger logger, long count);

    [LoggerMessage(6, LogLevel.Information, "Store writer stopping: committing {Count} queued operations")]
    public static partial void WriterDraining(ILogger logger, int count);

    [LoggerMessage(7, LogLevel.Error, "The store could not commit {Count} operations; they were rolled back and their callers told to retry")]
    public static partial void StoreWriteFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(10, LogLevel.Information, "Set srcs of app {App} version {Version}: {Added} added, {Removed} left the current view, {Kept} kept")]
    public static partial void SrcsSet(ILogger logger, string app, string version, long added, long removed, long kept);

    [LoggerMessage(13, LogLevel.Debug, "A process of app {App} version {Version} started ({Srcs} srcs, none sent)")]
    public static partial void VersionStarted(ILogger logger, string app, string version, long srcs);

    [LoggerMessage(14, LogLevel.Information, "App {App} version {Version} is new to this server; its process will send the srcs")]
    public static partial void VersionUnknown(ILogger logger, string app, string version);

    [LoggerMessage(15, LogLevel.Warning, "Dropped version {Version} of app {App} with {Srcs} srcs only it had")]
    public static partial void VersionDropped(ILogger logger, string app, string version, long srcs);

    [LoggerMessage(16, LogLevel.Information, "Dropped version {Version} of app {App}: silent for longer than the retention of {Retention}")]
    public static partial void VersionExpired(ILogger logger, string app, string version, TimeSpan retention);

    [LoggerMessage(25, LogLevel.Information, "Collect from {Peer} named version {Version} of app {App}, which the server does not have; the sender sets it again")]
    public static partial void UnknownVersion(ILogger logger, string peer, string app, string version);

    [LoggerMessage(11, LogLevel.Warning, "Reset the heatmap of app {App} ({Srcs} srcs)")]
    public static partial void HeatmapReset(ILogger logger, string app, long srcs);

    [LoggerMessage(12, LogLevel.Warning, "Reset everything: deleted {Apps} apps and {Srcs} srcs")]
    public static partial void AllReset(ILogger logger, long apps, long srcs);

    [LoggerMessage(20, LogLevel.Warning, "Rejected {Method} from {Peer}: {Problem}")]
    public static partial void InvalidArgument(ILogger logger, string method, string peer, string problem);

    [LoggerMessage(21, LogLevel.Warning, "{Method} from {Peer} named app {App}, which never called Set")]
    public static partial void UnknownApp(ILogger logger, string method, string peer, string app);

    [LoggerMessage(22, LogLevel.Warning, "Refused {Method} from {Peer}: {Problem}")]
    public static partial void Unauthenticated(ILogger logger, string method, string peer, string problem);

    [LoggerMessage(23, LogLevel.Information, "Collect from {Peer} ended by the server stopping after receiving {Received} batches; each is committed and acknowledged")]
    public static partial void CollectEndedByShutdown(ILogger logger, string peer, long received);

    [LoggerMessage(24, LogLevel.Debug, "Collect from {Peer} ended: the client completed its stream, {Acked} batches acknowledged")]
    public static partial void CollectEnded(ILogger logger, string peer, long acked);

    // Every app exit that outruns the sender's final flush, or a broken network, ends a stream this way: routine, so it
    // is one debug line and never the transport's exception.
    [LoggerMessage(26, LogLevel.Debug, "Collect from {Peer} ended: the client went away without completing its stream, {Acked} batches acknowledged; it re-sends any others")]
    public static partial void CollectClientLeft(ILogger logger, string peer, long acked);

    [LoggerMessage(30, LogLevel.Information, "A CLI connected from {Peer}")]
    public static partial void ModConnected(ILogger logger, string peer);

    // Event 31 (a CLI's hello) is the session's opened/resumed event now, which names app, root and host.

    [LoggerMessage(32, LogLevel.Information, "The CLI from {Peer} disconnected")]
    public static partial void ModDisconnected(ILogger logger, string peer);

    // Sessions are named by the first characters of their id: the whole id is the page's capability, not a log's.
    [LoggerMessage(33, LogLevel.Information, "Connect session {Session}… opened by the CLI of app {App} in {Root} on {Host} ({Peer})")]
    public static partial void ConnectSessionOpened(ILogger logger, string session, string app, string root, string host, string peer);

    [LoggerMessage(34, LogLevel.Information, "Connect session {Session}… resumed by the CLI of app {App} in {Root} on {Host} ({Peer})")]
    public static partial void ConnectSessionResumed(ILogger logger, string session, string app, string root, string host, string peer);

    [LoggerMessage(35, LogLevel.Information, "Connect session {Session}…: sent command {CommandId} {Kind} (dry run {DryRun}) for {Keys}")]
    public static partial void ConnectCommandSent(ILogger logger, string session, string commandId, string kind, bool dryRun, string keys);

    [LoggerMessage(36, LogLevel.Information, "Connect session {Session}…: command {CommandId} answered, ok {Ok} {Error}")]
    public static partial void ConnectCommandAnswered(ILogger logger, string session, string commandId, bool ok, string error);

    [LoggerMessage(37, LogLevel.Information, "Connect session {Session}…: the CLI is gone; commands fail until it reconnects")]
    public static partial void ConnectGone(ILogger logger, string session);

    [LoggerMessage(38, LogLevel.Debug, "Connect session {Session}…: ignored a result for command {CommandId}, which is not waiting (answered late or never sent)")]
    public static partial void ConnectUnknownResult(ILogger logger, string session, string commandId);

    [LoggerMessage(39, LogLevel.Debug, "Connect session {Session}…: inventory of {Keys} keys complete (stale: {Stale})")]
    public static partial void ConnectInventory(ILogger logger, string session, int keys, string stale);

    [LoggerMessage(70, LogLevel.Information, "Connect session {Session}…: refused a {Kind} command, no CLI holds the session")]
    public static partial void ConnectCommandRefused(ILogger logger, string session, string kind);

    [LoggerMessage(71, LogLevel.Warning, "Connect session {Session}…: a watcher's change handler failed")]
    public static partial void ConnectWatcherFailed(ILogger logger, string session, Exception exception);

    [LoggerMessage(72, LogLevel.Information, "Connect session {Session}… refused to a second CLI ({Peer}): another stream holds it")]
    public static partial void ConnectSessionHeld(ILogger logger, string session, string peer);

    [LoggerMessage(40, LogLevel.Information, "Coldmod server: gRPC on {GrpcHost}, web on {WebHost}, {Security}")]
    public static partial void Listening(ILogger logger, string grpcHost, string webHost, string security);

    [LoggerMessage(41, LogLevel.Warning, "COLDMOD_INSECURE=on: plaintext without authentication; anyone who can reach the ports can read and change the heatmap")]
    public static partial void Insecure(ILogger logger);

    [LoggerMessage(50, LogLevel.Warning, "The heatmap view could not read the store; it keeps the last view and retries")]
    public static partial void ViewRefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(51, LogLevel.Warning, "Refused a web request to {Path} from origin {Origin}: it is not the page's own origin {Expected}")]
    public static partial void ForeignOrigin(ILogger logger, string path, string origin, string expected);

    [LoggerMessage(52, LogLevel.Debug, "Heatmap view of {App}: {Changed} srcs changed, {Elapsed} ms")]
    public static partial void ViewUpdated(ILogger logger, string app, int changed, long elapsed);

    [LoggerMessage(53, LogLevel.Warning, "The heatmap page's assets are not in this installation ({Manifest} is missing): the page is served without its scripts and styles, the gRPC services and the API are unaffected")]
    public static partial void WebAssetsMissing(ILogger logger, string manifest);

    [LoggerMessage(60, LogLevel.Information, "Store: Redis at {Where}")]
    public static partial void RedisOpened(ILogger logger, string where);
}
