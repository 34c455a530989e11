using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;

namespace Shop.Catalog;

public sealed record Product(string Sku, string Name, decimal Price);

public interface IRepository<T>
    where T : class
{
    T? Find(string id);

    IReadOnlyList<T> All();

    // Default interface members: a method and a property with bodies.
    bool Exists(string id) => Find(id) is not null;

    int Count => All().Count;
}

public interface IChangeTracking
{
    event EventHandler Changed;

    bool IsDirty { get; }

    void Accept();
}

public abstract class RepositoryBase<T> : IRepository<T>
    where T : class
{
    protected RepositoryBase()
    {
        CreatedAt = DateTimeOffset.UtcNow;
    }

    public DateTimeOffset CreatedAt { get; }

    public abstract T? Find(string id);

    public abstract IReadOnlyList<T> All();

    protected abstract string IdOf(T item);

    public virtual IEnumerable<T> Where(Func<T, bool> predicate) => All().Where(predicate);
}

public class InMemoryRepository<T> : RepositoryBase<T>, IEnumerable<T>, IChangeTracking
    where T : class
{
    private readonly Dictionary<string, T> _items = new(StringComparer.Ordinal);
    private readonly Func<T, string> _idOf;
    private EventHandler? _changed;
    private bool _dirty;

    public InMemoryRepository(Func<T, string> idOf) => _idOf = idOf;

    public override T? Find(string id) => _items.GetValueOrDefault(id);

    public override IReadOnlyList<T> All() => _items.Values.ToList();

    public void Add(T item)
    {
        _items[IdOf(item)] = item;
        _dirty = true;
        _changed?.Invoke(this, EventArgs.Empty);
    }

    protected override string IdOf(T item) => _idOf(item);

    // Explicit implementations of a generic and a non-generic interface, of an event and of a property.
    IEnumerator<T> IEnumerable<T>.GetEnumerator()
    {
        foreach (var item in _items.Values)
        {
            yield return item;
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<T>)this).GetEnumerator();

    event EventHandler IChangeTracking.Changed
    {
        add { _changed += value; }
        remove { _changed -= value; }
    }

    bool IChangeTracking.IsDirty => _dirty;

    void IChangeTracking.Accept() => _dirty = false;
}

public sealed class ProductRepository : InMemoryRepository<Product>, IRepository<Product>
{
    public ProductRepository()
        : base(p => p.Sku)
    {
    }

    // Re-implements a default interface member explicitly.
    bool IRepository<Product>.Exists(string id) => Find(id) is { Price: > 0 };
}
