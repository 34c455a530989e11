using Coldmod.Protocol;
using Coldmod.Server.Internal.Store;
using Grpc.Core;

namespace Coldmod.Server.Internal.Services;

// One Collect call. A single loop reads batches, hands them to the store writer without waiting,
// and writes the acks of the batches at the head of its queue as they are committed, in order.
// Reading, the writer and the acks overlap; the only state shared with the writer is each
// batch's done flag and the stream's progress signal.
internal sealed class CollectCall(
    IHeatmapStore store,
    IAsyncStreamReader<Batch> requests,
    IServerStreamWriter<Ack> responses,
    ServerCallContext context,
    CancellationToken stopping,
    ILogger logger)
{
    // Batches received but not yet acknowledged. Past this the call stops reading, and HTTP/2 flow
    // control holds the sender back.
    private const int MaxInFlight = 256;

    private static readonly WriteOptions s_bufferAck = new(WriteFlags.BufferHint);

    private readonly CollectStream _stream = new();
    private readonly Queue<BatchWork> _pending = new();
    private RpcException? _readFailure;
    private bool _readInterrupted;
    private bool _clientLeft;
    private long _acked;

    // Null when the call ends well: the client completed its stream, or left.
    public async Task<RpcException?> RunAsync()
    {
        using var reading = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, stopping);
        Task<bool>? next = null;
        var open = true;
        RpcException? ending = null;
        while (true)
        {
            var failure = await AcknowledgeDoneAsync();
            if (failure is not null || _clientLeft)
            {
                await reading.CancelAsync();
                if (next is not null)
                {
                    await next;
                }

                if (failure is null)
                {
                    ServerLog.CollectClientLeft(logger, context.Peer, _acked);
                }

                return failure;
            }

            if (!open && _pending.Count == 0)
            {
                if (ending is null)
                {
                    ServerLog.CollectEnded(logger, context.Peer, _acked);
                }

                return ending;
            }

            if (open && next is null && _pending.Count < MaxInFlight)
            {
                next = ReadAsync(reading.Token);
            }

            if (next is { IsCompleted: true })
            {
                var received = await next;
                next = null;
                if (!received)
                {
                    open = false;
                    ending = EndOfRequests();
                }
                else if (RequestRules.Batch(requests.Current) is { } problem)
                {
                    open = false;
                    ServerLog.InvalidArgument(logger, context.Method, context.Peer, problem);
                    ending = StoreCalls.InvalidArgument(problem);
                }
                else
                {
                    _pending.Enqueue(store.EnqueueBatch(requests.Current, _stream));
                }

                continue;
            }

            var progress = _stream.Progress.WaitAsync();
            await (next is null ? progress : Task.WhenAny(next, progress));
        }
    }

    private async Task<bool> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await requests.MoveNext(cancellationToken);
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled)
        {
            // grpc-dotnet's own verdict on a message, such as one over the size limit.
            _readFailure = e;
            return false;
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or RpcException)
        {
            _readInterrupted = true;
            return false;
        }
    }

    private RpcException? EndOfRequests()
    {
        if (_readFailure is not null)
        {
            ServerLog.InvalidArgument(logger, context.Method, context.Peer, _readFailure.Status.Detail);
            return _readFailure;
        }

        if (!_readInterrupted)
        {
            // The client completed its stream: it still hears the acks of what it sent.
            return null;
        }

        if (context.CancellationToken.IsCancellationRequested || !stopping.IsCancellationRequested)
        {
            // The client went away (its app exited, or the connection broke): there is no one to acknowledge to, and
            // the client re-sends what it has no ack for.
            _clientLeft = true;
            return null;
        }

        // Every batch received is still acknowledged before the call ends.
        ServerLog.CollectEndedByShutdown(logger, context.Peer, _pending.Count + _acked);
        return new RpcException(new Status(StatusCode.Unavailable, "the server is stopping; every batch received was acknowledged, re-send the rest to a running server"));
    }

    private async Task<RpcException?> AcknowledgeDoneAsync()
    {
        while (_pending.TryPeek(out var work) && work.IsDone)
        {
            _pending.Dequeue();
            if (work.Failure is not null)
            {
                return StoreCalls.Unavailable(work.Failure);
            }

            if (work.Outcome == BatchOutcome.UnknownApp)
            {
                ServerLog.UnknownApp(logger, context.Method, context.Peer, work.Batch.App);
                return StoreCalls.UnknownApp(work.Batch.App);
            }

            if (work.Outcome == BatchOutcome.UnknownVersion)
            {
                ServerLog.UnknownVersion(logger, context.Peer, work.Batch.App, work.Batch.Version);
                return StoreCalls.UnknownVersion(work.Batch.App, work.Batch.Version);
            }

            if (work.Outcome == BatchOutcome.Skipped)
            {
                return new RpcException(new Status(StatusCode.Aborted, "an earlier batch failed; re-send from the first unacknowledged batch"));
            }

            // When the next ack is ready too, this one waits in the buffer and both go in one write.
            responses.WriteOptions = _pending.TryPeek(out var following) && following.IsDone ? s_bufferAck : null;
            try
            {
                await responses.WriteAsync(new Ack
                {
                    ProcessId = work.Batch.ProcessId,
                    Sequence = work.Batch.Sequence,
                    Applied = work.Outcome == BatchOutcome.Applied,
                });
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
            {
                // The client left; it re-sends what it has no ack for, and the store knows those as duplicates.
                _clientLeft = true;
                return null;
            }

            _acked++;
        }

        return null;
    }
}
