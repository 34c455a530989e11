namespace Shop.Infrastructure;

public interface IRepository<T>
    where T : class
{
    void Add(int id, T item);

    T Get(int id);

    IReadOnlyList<T> All();
}
