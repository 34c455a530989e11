using System.Collections.Generic;

namespace Bench.Script;

public sealed class Interpreter
{
    // A generated program that loops forever is a bug in the corpus, not a benchmark: stop it.
    private const long MaxLoopIterations = 10_000_000;

    private readonly Dictionary<string, FunctionStmt> _functions = new();
    private readonly Scope _globals = new(null);
    private long _checksum = 17;
    private long _iterations;
    private int _printed;

    public Scope Globals => _globals;

    public long Checksum => _checksum;

    public int Printed => _printed;

    public long ReturnValue { get; set; }

    public static bool IsTrue(long value) => value != 0;

    public static long FromBool(bool value) => value ? 1 : 0;

    public void Run(List<Stmt> program)
    {
        foreach (var statement in program)
        {
            statement.Execute(this, _globals);
        }
    }

    public void Declare(FunctionStmt function) => _functions[function.Name] = function;

    public FunctionStmt Function(Token name)
    {
        if (!_functions.TryGetValue(name.Text, out var function))
        {
            throw new ScriptException($"undefined function {name.Text}", name.Line);
        }

        return function;
    }

    public long Call(FunctionStmt function, Scope frame)
    {
        ReturnValue = 0;
        return function.Body.Execute(this, frame) == Completion.Return ? ReturnValue : 0;
    }

    public void Print(long value)
    {
        _printed++;
        _checksum = unchecked((_checksum * 31) + value);
    }

    public void Tick()
    {
        if (++_iterations > MaxLoopIterations)
        {
            throw new ScriptException("the program ran too long", 0);
        }
    }
}
