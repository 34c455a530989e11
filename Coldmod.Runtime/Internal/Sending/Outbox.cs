using Coldmod.Protocol;

namespace Coldmod.Runtime.Internal.Sending;

// The batches the server has not acknowledged, in sequence order, and the counts not yet put in a batch. A batch is
// numbered and frozen only when it is sent, and only while no other batch is waiting for its ack; until then new counts
// merge into the pending ones. So an unreachable server costs at most one frozen batch plus one pending set of counts,
// both bounded by the number of keys, and a re-sent batch always has its original sequence and contents.
internal sealed class Outbox(string app, string processId)
{
    private readonly object _gate = new();
    private readonly Queue<Batch> _unacknowledged = new();
    private readonly Dictionary<string, Pending> _pending = new(StringComparer.Ordinal);
    private ulong _lastSequence;
    private string _version = "";

    public string ProcessId { get; } = processId;

    // The version the server knows this process by; batches frozen from now on carry it.
    public string Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }

        set
        {
            lock (_gate)
            {
                _version = value;
            }
        }
    }

    public int UnacknowledgedCount
    {
        get
        {
            lock (_gate)
            {
                return _unacknowledged.Count;
            }
        }
    }

    // Frozen batches plus the pending one, if any: what the memory bound is about.
    public int HeldBatches
    {
        get
        {
            lock (_gate)
            {
                return _unacknowledged.Count + (_pending.Count > 0 ? 1 : 0);
            }
        }
    }

    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _unacknowledged.Count == 0 && _pending.Count == 0;
            }
        }
    }

    public void Add(IReadOnlyList<HitCount> hits)
    {
        lock (_gate)
        {
            foreach (var hit in hits)
            {
                if (hit.Count > 0)
                {
                    var before = _pending.GetValueOrDefault(hit.Key);
                    _pending[hit.Key] = new Pending(
                        HeatmapFileStore.AddCounts(before.Count, hit.Count),
                        HeatmapFileStore.AddCounts(before.Estimated, Math.Clamp(hit.Estimated, 0, hit.Count)),
                        before.Variance + (double.IsFinite(hit.EstimateVariance) && hit.EstimateVariance > 0 ? hit.EstimateVariance : 0));
                }
            }
        }
    }

    // The next batch to send, or null while an earlier batch is unacknowledged (unless allowed, at exit) or nothing is pending.
    public Batch? FreezePending(bool evenIfInFlight = false)
    {
        lock (_gate)
        {
            if (_pending.Count == 0 || (_unacknowledged.Count > 0 && !evenIfInFlight))
            {
                return null;
            }

            var batch = new Batch { App = app, ProcessId = ProcessId, Sequence = ++_lastSequence, Version = _version };
            foreach (var (key, pending) in _pending)
            {
                // A saturated count can fall below its estimated part's sum; the server refuses estimated > count.
                batch.Hits.Add(new Hit
                {
                    Key = key,
                    Count = (ulong)pending.Count,
                    Estimated = (ulong)Math.Min(pending.Estimated, pending.Count),
                    EstimateVariance = pending.Variance,
                });
            }

            _pending.Clear();
            _unacknowledged.Enqueue(batch);
            return batch;
        }
    }

    public List<Batch> Unacknowledged()
    {
        lock (_gate)
        {
            return [.. _unacknowledged];
        }
    }

    // Acks come in order, one per batch; an ack also covers anything older still held.
    public void Acknowledge(ulong sequence)
    {
        lock (_gate)
        {
            while (_unacknowledged.Count > 0 && _unacknowledged.Peek().Sequence <= sequence)
            {
                _unacknowledged.Dequeue();
            }
        }
    }

    // The pending calls of one key: the count, the part of it that is estimated, and that part's summed variance.
    private readonly record struct Pending(long Count, long Estimated, double Variance);

    // The server refused the oldest batch as malformed: re-sending it would be refused forever.
    public Batch? DropOldest()
    {
        lock (_gate)
        {
            return _unacknowledged.Count > 0 ? _unacknowledged.Dequeue() : null;
        }
    }
}
