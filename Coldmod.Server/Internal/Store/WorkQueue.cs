using System.Collections.Concurrent;

namespace Coldmod.Server.Internal.Store;

// Many producers (request handlers), one consumer (the writer loop). Adding takes no lock: with
// Channel<T> every write took the channel's lock, and with several busy senders on two cores the
// handlers spent more time spinning on it than parsing their batches. The consumer sleeps on a
// semaphore that a producer releases only when it finds the consumer asleep.
internal sealed class WorkQueue
{
    private readonly ConcurrentQueue<StoreWork> _items = new();
    private readonly SemaphoreSlim _wake = new(0);
    private int _sleeping;
    private int _adding;
    private volatile bool _closing;
    private volatile bool _closed;

    public int Count => _items.Count;

    public bool TryAdd(StoreWork work)
    {
        Interlocked.Increment(ref _adding);
        try
        {
            if (_closing)
            {
                return false;
            }

            _items.Enqueue(work);
        }
        finally
        {
            Interlocked.Decrement(ref _adding);
        }

        WakeConsumer();
        return true;
    }

    public bool TryTake(out StoreWork work) => _items.TryDequeue(out work!);

    // True when there is work to take; false once the queue is closed and empty.
    public async Task<bool> WaitAsync()
    {
        while (true)
        {
            if (!_items.IsEmpty)
            {
                return true;
            }

            if (_closed)
            {
                return false;
            }

            Volatile.Write(ref _sleeping, 1);
            if (!_items.IsEmpty || _closed)
            {
                // Work came in while going to sleep. If a producer already claimed the wake-up,
                // its release is on the way and is taken here so the count stays balanced.
                if (Interlocked.Exchange(ref _sleeping, 0) == 0)
                {
                    await _wake.WaitAsync().ConfigureAwait(false);
                }

                continue;
            }

            await _wake.WaitAsync().ConfigureAwait(false);
        }
    }

    // No work is accepted afterwards; work accepted before stays to be taken.
    public void Close()
    {
        _closing = true;
        var spin = new SpinWait();
        while (Volatile.Read(ref _adding) != 0)
        {
            spin.SpinOnce();
        }

        _closed = true;
        WakeConsumer();
    }

    private void WakeConsumer()
    {
        if (Volatile.Read(ref _sleeping) == 1 && Interlocked.Exchange(ref _sleeping, 0) == 1)
        {
            _wake.Release();
        }
    }
}
