using System.Collections.Generic;
using static System.Math;
using Widths = System.Collections.Generic.Dictionary<string, int>;

namespace Shop.Text;

/// <summary>
/// What the PDB records beyond sequence points: type imports (`using static`, an alias to a generic type), local
/// constants of an enum type, tuple element names of locals, and a nested type with no method bodies.
/// </summary>
public static class Layout
{
    public enum Align { Left, Right }

    public sealed class Column
    {
        public string Name = "";
        public int Width;
    }

    public static string Pad(string text, int width)
    {
        const Align align = Align.Right;
        const int minimum = 1;
        (string Text, int Width) cell = (text, Max(width, minimum));
        return align == Align.Right ? cell.Text.PadLeft(cell.Width) : cell.Text.PadRight(cell.Width);
    }

    public static Widths Measure(IEnumerable<string> names)
    {
        var widths = new Widths();
        foreach (var name in names)
        {
            (string Key, int Length) entry = (name, Abs(name.Length));
            widths[entry.Key] = entry.Length;
        }

        return widths;
    }
}
