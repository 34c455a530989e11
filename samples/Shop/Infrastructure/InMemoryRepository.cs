namespace Shop.Infrastructure;

public sealed class InMemoryRepository<T> : IRepository<T>
    where T : class
{
    private readonly SortedDictionary<int, T> _items = [];

    public void Add(int id, T item) => _items.Add(id, item);

    public T Get(int id) => _items[id];

    public IReadOnlyList<T> All() => [.. _items.Values];

    public TResult Aggregate<TResult>(TResult seed, Func<TResult, T, TResult> step)
    {
        var result = seed;
        foreach (var item in _items.Values)
        {
            result = step(result, item);
        }

        return result;
    }
}
