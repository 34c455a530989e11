namespace Bench.Inlining;

// A caller in the same assembly as the getter, so the JIT may inline the woven getter into it. The loop
// walks an array of boxes, as real code sums a property over a collection: reading one box over and over
// would let the JIT hoist the field load out of an unwoven loop and measure nothing.
public sealed class LowGetterLoop
{
    private readonly LowIndexBox[] _boxes;

    public LowGetterLoop(int count)
    {
        _boxes = new LowIndexBox[count];
        for (var i = 0; i < count; i++)
        {
            _boxes[i] = new LowIndexBox((i * 7919) & 0xffff);
        }
    }

    public long Run(int n)
    {
        var boxes = _boxes;
        var mask = boxes.Length - 1;
        long sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += boxes[i & mask].Value;
        }

        return sum;
    }
}
