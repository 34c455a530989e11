using System;
using System.Collections.Generic;

namespace Shop.Catalog;

/// <summary>Generic types nested three deep, each level adding a type parameter.</summary>
public sealed class CatalogTree<TItem>
    where TItem : IComparable<TItem>
{
    private readonly List<Department<string>> _departments = new();

    public Department<TCode> Open<TCode>(TCode code) => new(code);

    public int Count => _departments.Count;

    public sealed class Department<TCode>
    {
        private readonly List<Shelf<int>> _shelves = new();

        public Department(TCode code) => Code = code;

        public TCode Code { get; }

        public Shelf<TSlot> AddShelf<TSlot>(TSlot firstSlot)
            where TSlot : notnull
        {
            var shelf = new Shelf<TSlot>(this, firstSlot);
            return shelf;
        }

        public sealed class Shelf<TSlot>
            where TSlot : notnull
        {
            private readonly SortedDictionary<TSlot, TItem> _items = new();

            public Shelf(Department<TCode> department, TSlot first)
            {
                Department = department;
                First = first;
            }

            public Department<TCode> Department { get; }

            public TSlot First { get; }

            public void Stock(TSlot slot, TItem item) => _items[slot] = item;

            public TItem? Find(TSlot slot) => _items.TryGetValue(slot, out var item) ? item : default;

            public TResult Fold<TResult>(TResult seed, Func<TResult, TCode, TSlot, TItem, TResult> step)
            {
                var result = seed;
                foreach (var pair in _items)
                {
                    result = step(result, Department.Code, pair.Key, pair.Value);
                }

                return result;
            }

            public IEnumerable<TItem> Sorted()
            {
                var items = new List<TItem>(_items.Values);
                items.Sort((a, b) => a.CompareTo(b));
                foreach (var item in items)
                {
                    yield return item;
                }
            }
        }
    }
}

public static class CatalogReports
{
    // A nested generic instantiation as a parameter type.
    public static string Describe(CatalogTree<string>.Department<int>.Shelf<Guid> shelf) =>
        $"{shelf.Department.Code}/{shelf.First}";

    public static int Count<TItem>(IEnumerable<CatalogTree<TItem>.Department<string>.Shelf<int>> shelves)
        where TItem : IComparable<TItem>
    {
        var count = 0;
        foreach (var shelf in shelves)
        {
            count += shelf.Fold(0, (n, _, _, _) => n + 1);
        }

        return count;
    }
}
