namespace Bench.Inlining;

// Srcs are numbered by file path, then line: this file sorts first under the root, so its getter gets
// one of the smallest probe indices (checked at set-up), while HighIndexBox's comes after the filler.
public sealed class LowIndexBox
{
    private readonly int _value;

    public LowIndexBox(int value)
    {
        _value = value;
    }

    public int Value => _value;
}
