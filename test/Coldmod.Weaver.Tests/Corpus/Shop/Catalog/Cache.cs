using System;
using System.Collections.Concurrent;
using System.Collections.Generic;

namespace Shop.Catalog;

/// <summary>A small read-through cache with generic methods and constraints.</summary>
public sealed class Cache<TKey, TValue>
    where TKey : notnull
    where TValue : class
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries = new();
    private long _hits;

    public long Hits => _hits;

    public TValue GetOrAdd(TKey key, Func<TKey, TValue> load) =>
        _entries.TryGetValue(key, out var value) ? Hit(value) : _entries.GetOrAdd(key, load);

    public TResult? Get<TResult>(TKey key)
        where TResult : class, TValue =>
        _entries.TryGetValue(key, out var value) ? value as TResult : null;

    // The method's type parameter is named like the class's: inside, TValue means the method's.
#pragma warning disable CS0693 // Type parameter has the same name as the type parameter from outer type
    public TValue Convert<TValue>(TKey key, Func<object, TValue> convert) =>
        convert(_entries[key]);
#pragma warning restore CS0693

    public void Fill<TSource>(IEnumerable<TSource> source, Func<TSource, TKey> key, Func<TSource, TValue> value)
        where TSource : struct
    {
        foreach (var item in source)
        {
            _entries[key(item)] = value(item);
        }
    }

    public unsafe int Checksum<TBlittable>(TBlittable[] values)
        where TBlittable : unmanaged
    {
        var sum = 0;
        fixed (TBlittable* start = values)
        {
            var bytes = (byte*)start;
            for (var i = 0; i < values.Length * sizeof(TBlittable); i++)
            {
                sum += bytes[i];
            }
        }

        return sum;
    }

    public static TState Visit<TState>(ReadOnlySpan<TKey> keys, TState state, Func<TState, TKey, TState> step)
        where TState : allows ref struct
    {
        foreach (var key in keys)
        {
            state = step(state, key);
        }

        return state;
    }

    private TValue Hit(TValue value)
    {
        System.Threading.Interlocked.Increment(ref _hits);
        return value;
    }
}

/// <summary>A generic box whose method reuses the class's type parameter name.</summary>
public class Box<T>
{
    public T? Value { get; private set; }

    public void Put(T value) => Value = value;

    public T2 Map<T2>(Func<T, T2> map) => map(Value!);

#pragma warning disable CS0693 // Type parameter has the same name as the type parameter from outer type
    public string Describe<T>(T other) => $"{typeof(T).Name} beside {Value}";
#pragma warning restore CS0693

    public static Box<T> Of(T value)
    {
        var box = new Box<T>();
        box.Put(value);
        return box;
    }
}
