using System.Collections.Concurrent;

namespace TodoApi.Todos;

public sealed record Todo(int Id, string Title, bool Done);

public sealed record NewTodo(string Title);

public sealed class TodoStore
{
    private readonly ConcurrentDictionary<int, Todo> _todos = new();
    private int _nextId;

    public Todo Add(string title)
    {
        var todo = new Todo(Interlocked.Increment(ref _nextId), title, Done: false);
        _todos[todo.Id] = todo;
        return todo;
    }

    public IReadOnlyList<Todo> All() => [.. _todos.Values.OrderBy(t => t.Id)];

    public Todo? Find(int id) => _todos.GetValueOrDefault(id);

    public bool Remove(int id) => _todos.TryRemove(id, out _);

    public bool MarkDone(int id)
    {
        if (!_todos.TryGetValue(id, out var todo))
        {
            return false;
        }

        _todos[id] = todo with { Done = true };
        return true;
    }

    public int Count => _todos.Count;
}
