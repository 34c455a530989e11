namespace Coldmod.Runtime.Internal;

// Bounded lock-free ring: many producers (probes, on the first hit of a method after a drain), one consumer
// (the drainer, under the module's drain lock). Slots hold index + 1 so that 0 means "claimed but not yet written".
//
// Why a producer never finds its slot still occupied: an index is enqueued only by the thread whose
// CompareExchange moved its dirty flag from 0 to 1, and the drainer resets a flag only after dequeuing that
// index and publishing the new head. So the positions claimed and not yet consumed carry distinct indices,
// at most Capacity of them; the slot a producer claims was consumed (and cleared) a full lap earlier, and that
// clear happens-before the claim through the flag reset and the interlocked tail.
internal sealed class DirtyQueue
{
    private readonly int[] _slots;
    private long _tail;
    private long _head;
    private int _maxDepth;

    public DirtyQueue(int capacity)
    {
        _slots = new int[Math.Max(capacity, 1)];
    }

    public int Capacity => _slots.Length;

    // Tail first: the head read afterwards can only be newer, so this never overstates the depth.
    public int Depth
    {
        get
        {
            var tail = Volatile.Read(ref _tail);
            return (int)(tail - Volatile.Read(ref _head));
        }
    }

    public int MaxDepth => Volatile.Read(ref _maxDepth);

    public void Enqueue(int index)
    {
        var position = Interlocked.Increment(ref _tail) - 1;
        Volatile.Write(ref _slots[(int)(position % _slots.Length)], index + 1);
    }

    // Consumer only. Stops at a slot whose producer has claimed it but not yet written it: that entry,
    // and those behind it, are taken by the next drain. Returns how many indices were written to into.
    public int DequeueAvailable(int[] into)
    {
        var head = _head;
        var depth = (int)(Volatile.Read(ref _tail) - head);
        if (depth > _maxDepth)
        {
            Volatile.Write(ref _maxDepth, depth);
        }

        var taken = 0;
        while (taken < depth)
        {
            ref var slot = ref _slots[(int)(head % _slots.Length)];
            var value = Volatile.Read(ref slot);
            if (value == 0)
            {
                break;
            }

            slot = 0;
            into[taken++] = value - 1;
            head++;
        }

        Volatile.Write(ref _head, head);
        return taken;
    }
}
