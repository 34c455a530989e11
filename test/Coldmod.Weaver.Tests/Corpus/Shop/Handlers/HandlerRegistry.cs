using System;
using System.Collections.Generic;
using System.Linq;
using System.Linq.Expressions;
using System.Threading.Tasks;

namespace Shop.Handlers;

// Every place a lambda, an anonymous method or a local function can be written: each is a src of its own.
public sealed class HandlerRegistry
{
    private static readonly Func<int, int> s_twice = x => x * 2;

    private readonly Dictionary<string, Func<string, string>> _handlers = new();
    private readonly Func<int, bool> _isPositive = x => x > 0;

    public HandlerRegistry()
    {
        _handlers["upper"] = s => s.ToUpperInvariant();
    }

    public HandlerRegistry(string prefix)
    {
        _handlers["prefix"] = s => prefix + s;
        _handlers["both"] = delegate (string s) { return prefix + s + prefix; };
    }

    public Func<int> Counter
    {
        get
        {
            var count = 0;
            return () => ++count;
        }
    }

    public Func<int, Func<int, int>> Adder() => x => y => x + y + s_twice(y);

    public int Sum(IEnumerable<int> values)
    {
        var total = values.Where(v => v > 0).Sum(v => Square(v));
        return total + Offset(1);

        static int Square(int v) => v * v;

        int Offset(int by)
        {
            Func<int, int> shift = v => v + by + total;
            return shift(by);
        }
    }

    public T Pick<T>(IReadOnlyList<T> items, Func<T, bool> accept)
    {
        Func<T, bool> either = item => accept(item) || items.Count == 1;
        return First(items);

        T First(IReadOnlyList<T> list) => list.First(either);
    }

    public IEnumerable<Func<int>> Deferred(int count)
    {
        for (var i = 0; i < count; i++)
        {
            var captured = i;
            yield return () => captured * 10;
        }
    }

    public async Task<int> LoadAsync(int id)
    {
        Func<Task<int>> fetch = async () =>
        {
            await Task.Yield();
            return id;
        };
        async Task<int> TwiceAsync()
        {
            return 2 * await fetch();
        }

        return await TwiceAsync();
    }

    public bool IsPositive(int value) => _isPositive(value);

    public Expression<Func<int, int>> Tree() => x => x + 1;
}
