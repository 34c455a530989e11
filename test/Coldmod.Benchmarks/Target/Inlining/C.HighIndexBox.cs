namespace Bench.Inlining;

// Sorts after B.Filler.g.cs (generated at set-up), so its getter's probe index is above 256.
public sealed class HighIndexBox
{
    private readonly int _value;

    public HighIndexBox(int value)
    {
        _value = value;
    }

    public int Value => _value;
}
