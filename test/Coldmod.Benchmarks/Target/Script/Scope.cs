using System.Collections.Generic;

namespace Bench.Script;

// A block that declares nothing costs no dictionary: most loop bodies only assign to outer variables.
public sealed class Scope
{
    private readonly Scope? _parent;
    private Dictionary<string, long>? _values;

    public Scope(Scope? parent)
    {
        _parent = parent;
    }

    public Scope? Parent => _parent;

    public void Define(string name, long value)
    {
        _values ??= new Dictionary<string, long>();
        _values[name] = value;
    }

    public long Get(Token name)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope.TryGet(name.Text, out var value))
            {
                return value;
            }
        }

        throw new ScriptException($"undefined variable {name.Text}", name.Line);
    }

    public void Assign(Token name, long value)
    {
        for (var scope = this; scope is not null; scope = scope.Parent)
        {
            if (scope.Holds(name.Text))
            {
                scope._values![name.Text] = value;
                return;
            }
        }

        throw new ScriptException($"assignment to undefined variable {name.Text}", name.Line);
    }

    private bool TryGet(string name, out long value)
    {
        if (_values is null)
        {
            value = 0;
            return false;
        }

        return _values.TryGetValue(name, out value);
    }

    private bool Holds(string name) => _values is not null && _values.ContainsKey(name);
}
