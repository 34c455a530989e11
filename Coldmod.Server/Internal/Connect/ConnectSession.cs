namespace Coldmod.Server.Internal.Connect;

// A snapshot of one connect session. Every change replaces the snapshot, so a page may read one freely from any thread.
internal sealed class ConnectSession
{
    internal ConnectSession(string id, string app, string root, string host, bool connected, string stale, IReadOnlyDictionary<string, LocalKey> keys)
    {
        Id = id;
        App = app;
        Root = root;
        Host = host;
        Connected = connected;
        Stale = stale;
        Keys = keys;
    }

    public string Id { get; }

    public string App { get; }

    public string Root { get; }

    public string Host { get; }

    // True while a CLI holds the session's Mod stream.
    public bool Connected { get; }

    // Empty when the checkout's build is up to date; otherwise the CLI's reason for refusing commands.
    public string Stale { get; }

    // The last complete inventory the CLI sent; empty until one is complete.
    public IReadOnlyDictionary<string, LocalKey> Keys { get; }
}
