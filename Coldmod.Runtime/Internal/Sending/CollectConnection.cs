using Coldmod.Protocol;
using Grpc.Core;

namespace Coldmod.Runtime.Internal.Sending;

// One Collect stream. Acks are read on the thread pool and release batches from the outbox; the sender thread only
// writes. Any end of the stream, clean or not, makes the connection failed: the sender then reconnects.
internal sealed class CollectConnection : IDisposable
{
    private static readonly TimeSpan s_writeTimeout = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource _cancel = new();
    private readonly AsyncDuplexStreamingCall<Batch, Ack> _call;
    private readonly Task _reader;
    private volatile Exception? _failure;
    private volatile bool _acked;

    public CollectConnection(Traces.TracesClient client, Metadata headers, Outbox outbox)
    {
        _call = client.Collect(headers, cancellationToken: _cancel.Token);
        _reader = ReadAcksAsync(outbox);
    }

    public bool Failed => _failure is not null;

    public Exception? Failure => _failure;

    public bool HasAcked => _acked;

    public Task Completion => _reader;

    public void Send(Batch batch)
    {
        ThrowIfFailed();
        var write = _call.RequestStream.WriteAsync(batch);
        if (!write.Wait(s_writeTimeout))
        {
            // A server that stops reading would otherwise hold the sender thread forever.
            _cancel.Cancel();
            throw new TimeoutException($"sending batch {batch.Sequence} took longer than {s_writeTimeout.TotalSeconds:0} s");
        }
    }

    // Ends the stream as a client that is done rather than one that vanished: the server acknowledges what it holds and
    // ends the call with OK. Whether it did so within the timeout; never throws, since at exit there is no one to tell.
    public bool TryComplete(TimeSpan timeout)
    {
        if (Failed)
        {
            return false;
        }

        var deadline = DateTime.UtcNow + timeout;
        try
        {
            return _call.RequestStream.CompleteAsync().Wait(timeout) && _reader.Wait(Remaining(deadline));
        }
        catch (Exception)
        {
            // A call the server already ended, or one cut short: the stream is over either way.
            return false;
        }
    }

    public void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw failure;
        }
    }

    public void Dispose()
    {
        _failure ??= new ObjectDisposedException(nameof(CollectConnection));
        _cancel.Cancel();
        _call.Dispose();
        _cancel.Dispose();
    }

    private static TimeSpan Remaining(DateTime deadline)
    {
        var left = deadline - DateTime.UtcNow;
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    private async Task ReadAcksAsync(Outbox outbox)
    {
        try
        {
            // MoveNext rather than ReadAllAsync's IAsyncEnumerable, which on netstandard2.0 would add Microsoft.Bcl.AsyncInterfaces
            // to what every app must deploy.
            while (await _call.ResponseStream.MoveNext(_cancel.Token).ConfigureAwait(false))
            {
                var ack = _call.ResponseStream.Current;
                if (ack.ProcessId == outbox.ProcessId)
                {
                    outbox.Acknowledge(ack.Sequence);
                    _acked = true;
                }
            }

            _failure ??= new RpcException(new Status(StatusCode.Unavailable, "the server ended the Collect stream"));
        }
        catch (Exception e)
        {
            _failure ??= e;
        }
    }
}
