using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace Shop.Infrastructure;

/// <summary>Interop and low-level helpers: the parameter shapes that documentation IDs spell out.</summary>
public static unsafe class NativeMethods
{
    // extern: no body, nothing to trace.
    [DllImport("libc", EntryPoint = "getpid")]
    public static extern int GetProcessId();

    [DllImport("libc", EntryPoint = "strlen")]
    private static extern nuint StrLen(byte* text);

    public static int Length(string ascii)
    {
        var bytes = System.Text.Encoding.ASCII.GetBytes(ascii + "\0");
        fixed (byte* start = bytes)
        {
            return (int)StrLen(start);
        }
    }

    public static void Copy(byte* source, byte* destination, int count)
    {
        Buffer.MemoryCopy(source, destination, count, count);
    }

    public static int Sum(int** rows, int rowCount, int columnCount)
    {
        var sum = 0;
        for (var r = 0; r < rowCount; r++)
        {
            for (var c = 0; c < columnCount; c++)
            {
                sum += rows[r][c];
            }
        }

        return sum;
    }

    public static void Clear(void* memory, nuint size) => NativeMemory.Clear(memory, size);

    // Two overloads that differ only in their function pointer types share one documentation ID.
    public static int Apply(delegate*<int, int> transform) => transform(42);

    public static int Apply(delegate* unmanaged[Cdecl]<int, int> transform) => transform(42);

    public static int Apply(delegate*<int, int> transform, int value) => transform(value);

    // __arglist: the documentation ID ends its parameter list with a comma, or is empty parentheses.
    public static int CountArguments(string label, __arglist)
    {
        var iterator = new ArgIterator(__arglist);
        return label.Length + iterator.GetRemainingCount();
    }

    public static int CountOnly(__arglist) => new ArgIterator(__arglist).GetRemainingCount();

    public static double Trace(int[,] matrix)
    {
        var trace = 0.0;
        for (var i = 0; i < Math.Min(matrix.GetLength(0), matrix.GetLength(1)); i++)
        {
            trace += matrix[i, i];
        }

        return trace;
    }

    public static int Flatten(int[][] jagged, int[,,] cube, int[][,] mixed, int*[] pointers) =>
        jagged.Length + cube.Length + mixed.Length + pointers.Length;

    public static (int Count, decimal Sum) Totals(IEnumerable<(string Sku, int Quantity, decimal Price)> lines, (int, int)? window)
    {
        var count = 0;
        var sum = 0m;
        foreach (var (_, quantity, price) in lines)
        {
            count += quantity;
            sum += quantity * price;
        }

        return (count + (window?.Item1 ?? 0), sum);
    }

    public static int Wide((int a, int b, int c, int d, int e, int f, int g, int h, int i) values) => values.i;

    public static string? Describe(int? count, string? name, object?[]? extra, List<string?> tags, nint handle, dynamic bag) =>
        $"{count} {name} {extra?.Length} {tags.Count} {handle} {bag}";

    public static void Swap(ref int left, ref int right) => (left, right) = (right, left);

    public static bool TryParse(ReadOnlySpan<char> text, out int value, out string? error)
    {
        error = null;
        if (int.TryParse(text, out value))
        {
            return true;
        }

        error = "not a number";
        return false;
    }

    public static int Max(params int[] values)
    {
        var max = int.MinValue;
        foreach (var v in values)
        {
            max = Math.Max(max, v);
        }

        return max;
    }

    public static int Min(params ReadOnlySpan<int> values)
    {
        var min = int.MaxValue;
        foreach (var v in values)
        {
            min = Math.Min(min, v);
        }

        return min;
    }

    public static ref int Slot(Span<int> slots, scoped in int index) => ref slots[index];

    public static int Peek(ref readonly int value) => value;

    public static void Fill(TypedReference reference, object value) => __refvalue(reference, object) = value;
}

/// <summary>Virtual and abstract members with readonly reference parameters (custom modifiers in metadata).</summary>
public abstract class Checksum
{
    public virtual uint Update(uint state, in ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            state = (state << 5) + state + b;
        }

        return state;
    }

    public virtual uint Combine(ref readonly uint left, in uint right) => left ^ right;

    public abstract uint Finish(in uint state);
}

public sealed class Djb2 : Checksum
{
    public override uint Update(uint state, in ReadOnlySpan<byte> data) => base.Update(state == 0 ? 5381u : state, in data);

    public override uint Finish(in uint state) => state;
}
