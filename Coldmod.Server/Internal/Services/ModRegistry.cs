using System.Collections.Concurrent;

namespace Coldmod.Server.Internal.Services;

// The CLIs connected on the Mod stream. A later issue routes web UI commands through it.
internal sealed class ModRegistry
{
    private readonly ConcurrentDictionary<long, ModClient> _clients = new();
    private long _lastId;

    public int Count => _clients.Count;

    public ModClient Register(string peer)
    {
        var client = new ModClient(Interlocked.Increment(ref _lastId), peer, this);
        _clients[client.Id] = client;
        return client;
    }

    internal void Remove(ModClient client) => _clients.TryRemove(client.Id, out _);
}
