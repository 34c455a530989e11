namespace Coldmod.Server.Internal.Services;

internal sealed class ModClient(long id, string peer, ModRegistry registry) : IDisposable
{
    public long Id { get; } = id;

    public string Peer { get; } = peer;

    public string App { get; set; } = "";

    public string Root { get; set; } = "";

    public void Dispose() => registry.Remove(this);
}
