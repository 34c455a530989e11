using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using Coldmod.Protocol;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Coldmod.Server.Internal.Connect;

// The connect sessions of this server instance: which CLI serves which page, what its checkout has, and the route
// of a page's command to that CLI. Sessions live in memory only: a session belongs to the instance its CLI is
// connected to, and a restarted server learns it again from the reconnecting CLI's hello.
internal sealed class ConnectSessions(IOptions<ConnectOptions> options, TimeProvider time, ILogger<ConnectSessions> logger)
{
    public const int SessionIdLength = 22;

    // One CLI must not grow the server's memory without bound; a million keys is far past any one checkout.
    public const int MaxInventoryKeys = 1_000_000;

    private static readonly IReadOnlyDictionary<string, LocalKey> s_noKeys = new Dictionary<string, LocalKey>(StringComparer.Ordinal);

    private readonly Lock _lock = new();
    private readonly Dictionary<string, SessionState> _sessions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Action>> _watchers = new(StringComparer.Ordinal);
    private long _lastCommand;

    // CLIs whose stream holds a session right now.
    public int ConnectedCount
    {
        get
        {
            lock (_lock)
            {
                return _sessions.Values.Count(state => state.Link is not null);
            }
        }
    }

    public ConnectSession? Find(string id)
    {
        lock (_lock)
        {
            ForgetExpired();
            return _sessions.TryGetValue(id, out var state) ? state.Snapshot : null;
        }
    }

    public IDisposable Watch(string id, Action changed)
    {
        ArgumentNullException.ThrowIfNull(changed);
        lock (_lock)
        {
            if (!_watchers.TryGetValue(id, out var list))
            {
                _watchers[id] = list = [];
            }

            list.Add(changed);
        }

        return new ConnectWatch(() => Unwatch(id, changed));
    }

    public async Task<ConnectOutcome> SendAsync(string id, ModCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.KindCase is not (ModCommand.KindOneofCase.Ignore or ModCommand.KindOneofCase.Remove or ModCommand.KindOneofCase.Open))
        {
            return ConnectOutcome.Failed($"'{command.KindCase}' is not a command for the CLI: send ignore, remove or open");
        }

        ConnectLink? link;
        lock (_lock)
        {
            link = _sessions.TryGetValue(id, out var state) ? state.Link : null;
        }

        if (link is null)
        {
            ServerLog.ConnectCommandRefused(logger, Short(id), command.KindCase.ToString());
            return ConnectOutcome.Failed($"the CLI is gone: no `coldmod connect` holds session {id} now; run `coldmod connect` in the checkout to reconnect it");
        }

        var routed = command.Clone();
        routed.CommandId = Interlocked.Increment(ref _lastCommand).ToString(CultureInfo.InvariantCulture);
        var keys = KeysOf(routed);
        ServerLog.ConnectCommandSent(logger, Short(id), routed.CommandId, routed.KindCase.ToString(), routed.DryRun, keys);
        var outcome = await link.SendAsync(routed, options.Value.CommandTimeout, cancellationToken).ConfigureAwait(false);
        ServerLog.ConnectCommandAnswered(logger, Short(id), routed.CommandId, outcome.Ok, outcome.Error);
        return outcome;
    }

    public static bool IsSessionId(string value) =>
        value.Length == SessionIdLength && value.All(c => c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_');

    // Opens the session the hello asks for (a new one when it names none) on this stream; null when another open
    // stream holds it.
    internal ConnectLink? Attach(ModHello hello, IServerStreamWriter<ModCommand> writer, string peer)
    {
        ConnectLink link;
        lock (_lock)
        {
            ForgetExpired();
            var id = hello.SessionId.Length == 0 ? NewSessionId() : hello.SessionId;
            var resumed = _sessions.TryGetValue(id, out var state);
            if (state?.Link is not null)
            {
                return null;
            }

            link = new ConnectLink(this, id, resumed, writer);
            var keys = state?.Snapshot.Keys ?? s_noKeys;
            var stale = state?.Snapshot.Stale ?? "";
            var snapshot = new ConnectSession(id, hello.App, hello.Root, hello.Host, connected: true, stale, keys);
            if (state is null)
            {
                _sessions[id] = state = new SessionState(snapshot);
            }
            else
            {
                state.Snapshot = snapshot;
            }

            state.Link = link;
            state.IncomingKeys = null;
        }

        if (link.Resumed)
        {
            ServerLog.ConnectSessionResumed(logger, Short(link.SessionId), hello.App, hello.Root, hello.Host, peer);
        }
        else
        {
            ServerLog.ConnectSessionOpened(logger, Short(link.SessionId), hello.App, hello.Root, hello.Host, peer);
        }

        Notify(link.SessionId);
        return link;
    }

    // The problem when the chunks add up to more keys than one inventory may have; null otherwise.
    internal string? Receive(ConnectLink link, ModInventory inventory)
    {
        var completed = 0;
        lock (_lock)
        {
            if (!_sessions.TryGetValue(link.SessionId, out var state) || state.Link != link)
            {
                return null;
            }

            if (inventory.First || state.IncomingKeys is null)
            {
                state.IncomingKeys = new Dictionary<string, LocalKey>(StringComparer.Ordinal);
            }

            if (state.IncomingKeys.Count + inventory.Keys.Count > MaxInventoryKeys)
            {
                state.IncomingKeys = null;
                return $"inventory has more than {MaxInventoryKeys} keys in its chunks; the limit is {MaxInventoryKeys}";
            }

            foreach (var key in inventory.Keys)
            {
                state.IncomingKeys[key.Key] = new LocalKey(key.Key, key.File, (int)Math.Min(key.Line, int.MaxValue), (int)Math.Min(key.References, int.MaxValue));
            }

            if (!inventory.Last)
            {
                return null;
            }

            var keys = state.IncomingKeys;
            state.IncomingKeys = null;
            completed = keys.Count;
            var old = state.Snapshot;
            state.Snapshot = new ConnectSession(old.Id, old.App, old.Root, old.Host, old.Connected, inventory.Stale, keys);
        }

        ServerLog.ConnectInventory(logger, Short(link.SessionId), completed, inventory.Stale);
        Notify(link.SessionId);
        return null;
    }

    internal void UnknownResult(ConnectLink link, string commandId) => ServerLog.ConnectUnknownResult(logger, Short(link.SessionId), commandId);

    internal void Detach(ConnectLink link)
    {
        lock (_lock)
        {
            if (!_sessions.TryGetValue(link.SessionId, out var state) || state.Link != link)
            {
                return;
            }

            state.Link = null;
            state.IncomingKeys = null;
            state.DisconnectedAt = time.GetUtcNow();
            var old = state.Snapshot;
            state.Snapshot = new ConnectSession(old.Id, old.App, old.Root, old.Host, connected: false, old.Stale, old.Keys);
        }

        ServerLog.ConnectGone(logger, Short(link.SessionId));
        Notify(link.SessionId);
    }

    private void Unwatch(string id, Action changed)
    {
        lock (_lock)
        {
            if (_watchers.TryGetValue(id, out var list) && list.Remove(changed) && list.Count == 0)
            {
                _watchers.Remove(id);
            }
        }
    }

    private void Notify(string id)
    {
        Action[] watchers;
        lock (_lock)
        {
            watchers = _watchers.TryGetValue(id, out var list) ? [.. list] : [];
        }

        foreach (var changed in watchers)
        {
            try
            {
                changed();
            }
            catch (Exception e)
            {
                // One page's broken handler must not keep the others, or the CLI's stream, from their update.
                ServerLog.ConnectWatcherFailed(logger, Short(id), e);
            }
        }
    }

    private void ForgetExpired()
    {
        var cutoff = time.GetUtcNow() - options.Value.KeepDisconnected;
        List<string>? expired = null;
        foreach (var (id, state) in _sessions)
        {
            if (state.Link is null && state.DisconnectedAt < cutoff)
            {
                (expired ??= []).Add(id);
            }
        }

        foreach (var id in expired ?? [])
        {
            _sessions.Remove(id);
        }
    }

    internal static string Short(string id) => id.Length > 6 ? id[..6] : id;

    private static string NewSessionId()
    {
        Span<byte> random = stackalloc byte[16];
        RandomNumberGenerator.Fill(random);
        return Base64Url.EncodeToString(random);
    }

    private static string KeysOf(ModCommand command) => command.KindCase switch
    {
        ModCommand.KindOneofCase.Ignore => string.Join(", ", command.Ignore.Keys),
        ModCommand.KindOneofCase.Remove => string.Join(", ", command.Remove.Keys),
        ModCommand.KindOneofCase.Open => string.Join(", ", command.Open.Keys),
        _ => "",
    };
}
