namespace Coldmod.Server.Internal.Connect;

// Ends one Watch; disposing twice is harmless, as a page's teardown may do.
internal sealed class ConnectWatch(Action unwatch) : IDisposable
{
    private int _disposed;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            unwatch();
        }
    }
}
