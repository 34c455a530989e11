using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace Woven.Corpus;

public static class Calls
{
    public static int FinallyRuns;

    public static int Add(int a, int b) => a + b;

    public static int Add(long a, long b) => (int)(a + b);

    // In Release the loop head is the first instruction, so a branch targets offset 0.
    public static int CountDown(int n)
    {
        do
        {
            n--;
        }
        while (n > 0);
        return n;
    }

    public static int DivideOrMinusOne(int x)
    {
        try
        {
            return 10 / x;
        }
        catch (DivideByZeroException)
        {
            return -1;
        }
        finally
        {
            FinallyRuns++;
        }
    }

    public static long UsingAtStart(int size)
    {
        using var stream = new MemoryStream(new byte[size]);
        return stream.Length;
    }

    public static int LockAtStart(object gate)
    {
        lock (gate)
        {
            return Monitor.IsEntered(gate) ? 1 : 0;
        }
    }

    public static unsafe int StackAllocSum(int n)
    {
        int* numbers = stackalloc int[n];
        for (var i = 0; i < n; i++)
        {
            numbers[i] = i;
        }

        var sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += numbers[i];
        }

        return sum;
    }

    public static int SpanSum(int n)
    {
        Span<int> numbers = stackalloc int[n];
        numbers.Fill(2);
        var sum = 0;
        foreach (var x in numbers)
        {
            sum += x;
        }

        return sum;
    }

    public static void RefOutIn(ref int a, out int b, in int c)
    {
        a++;
        b = c * 2;
    }

    public static void Throw(string message)
    {
        throw new InvalidOperationException(message);
    }

    public static void ThrowThrough(string message)
    {
        try
        {
            Throw(message);
        }
        finally
        {
            FinallyRuns++;
        }
    }

    // A long loop body ending in a backward branch to the first instruction.
    public static int LongLoop(int n)
    {
        do
        {
            n = n * 3 + 1;
            n = n ^ (n >> 3);
            n = n * 5 + 2;
            n = n ^ (n >> 5);
            n = n * 7 + 3;
            n = n ^ (n >> 7);
            n = n - 1000;
        }
        while (n > 100);
        return n;
    }

    public static string Switch(int x)
    {
        switch (x)
        {
            case 0: return "zero";
            case 1: return "one";
            case 2: return "two";
            default: return "many";
        }
    }
}

public class Counter
{
    public static int Created;
    private readonly int _start = 5;
    private int _value;

    static Counter()
    {
        Created = 0;
    }

    public Counter()
    {
        Created++;
        _value = _start;
    }

    public Counter(int start) : this()
    {
        _value += start;
    }

    public int Value => _value;

    public int Increment()
    {
        return ++_value;
    }
}

public class ThrowingBase
{
    public ThrowingBase(bool fail)
    {
        if (fail)
        {
            throw new ArgumentException("base failed");
        }
    }
}

public class Derived : ThrowingBase
{
    private readonly string _name = "derived";

    public Derived(bool fail) : base(fail)
    {
    }

    public string Name => _name;
}

public struct Point
{
    public int X;
    public int Y;

    public Point(int x, int y)
    {
        X = x;
        Y = y;
    }

    public readonly int Manhattan() => Math.Abs(X) + Math.Abs(Y);

    public void Move(int dx)
    {
        X += dx;
    }
}

public class Box<T>
{
    private readonly T _value;

    public Box(T value)
    {
        _value = value;
    }

    public T Get() => _value;

    public (T, U) Pair<U>(U other) => (_value, other);

    public static Box<T> Of(T value) => new(value);
}

public abstract class Shape
{
    public abstract double Area();

    public virtual string Describe() => "shape";
}

public sealed class Square : Shape
{
    private readonly double _side;

    public Square(double side)
    {
        _side = side;
    }

    public override double Area() => _side * _side;

    public override string Describe() => "square " + base.Describe();
}

public interface IGreeter
{
    string Greet(string name);

    string GreetAll(IEnumerable<string> names) => string.Join(",", Each(names));

    private IEnumerable<string> Each(IEnumerable<string> names)
    {
        foreach (var n in names)
        {
            yield return Greet(n);
        }
    }
}

public sealed class Greeter : IGreeter
{
    public string Greet(string name) => "hi " + name;
}

public static class Flows
{
    public static async Task<int> TwiceAsync(int x)
    {
        await Task.Yield();
        await Task.Delay(1);
        return x * 2;
    }

    public static async ValueTask<int> ValueTwiceAsync(int x)
    {
        await Task.Yield();
        return x * 2;
    }

    public static IEnumerable<int> Range(int n)
    {
        for (var i = 0; i < n; i++)
        {
            yield return i;
        }
    }

    public static async IAsyncEnumerable<int> RangeAsync(int n)
    {
        for (var i = 0; i < n; i++)
        {
            await Task.Yield();
            yield return i;
        }
    }

    public static async Task<int> WithAsyncLambdaAsync(int n)
    {
        Func<int, Task<int>> step = async x =>
        {
            await Task.Yield();
            await Task.Yield();
            return x + 1;
        };
        var total = 0;
        for (var i = 0; i < n; i++)
        {
            total += await step(i);
        }

        return total;
    }

    public static int WithLambda(int[] values)
    {
        var factor = values.Length;
        Func<int, int> scale = v => v * factor;
        var total = 0;
        foreach (var v in values)
        {
            total += scale(v);
        }

        return total + Local(1);

        int Local(int x) => x + factor;
    }
}

public static class Once
{
    public static readonly int Value;

    static Once()
    {
        Value = 42;
    }

    public static int Read() => Value;
}
