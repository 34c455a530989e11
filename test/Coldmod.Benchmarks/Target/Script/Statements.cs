using System.Collections.Generic;

namespace Bench.Script;

public enum Completion
{
    Normal,
    Return,
}

public abstract class Stmt
{
    public abstract Completion Execute(Interpreter interpreter, Scope scope);
}

public sealed class ExpressionStmt : Stmt
{
    private readonly Expr _expression;

    public ExpressionStmt(Expr expression)
    {
        _expression = expression;
    }

    public override Completion Execute(Interpreter interpreter, Scope scope)
    {
        _expression.Evaluate(interpreter, scope);
        return Completion.Normal;
    }
}

public sealed class LetStmt : Stmt
{
    private readonly Token _name;
    private readonly Expr _initializer;

    public LetStmt(Token name, Expr initializer)
    {
        _name = name;
        _initializer = initializer;
    }

    public override Completion Execute(Interpreter interpreter, Scope scope)
    {
        scope.Define(_name.Text, _initializer.Evaluate(interpreter, scope));
        return Completion.Normal;
    }
}

public sealed class PrintStmt : Stmt
{
    private readonly Expr _value;

    public PrintStmt(Expr value)
    {
        _value = value;
    }

    public override Completion Execute(Interpreter interpreter, Scope scope)
    {
        interpreter.Print(_value.Evaluate(interpreter, scope));
        return Completion.Normal;
    }
}

public sealed class ReturnStmt : Stmt
{
    private readonly Expr? _value;

    public ReturnStmt(Expr? value)
    {
        _value = value;
    }

    public override Completion Execute(Interpreter interpreter, Scope scope)
    {
        interpreter.ReturnValue = _value is null ? 0 : _value.Evaluate(interpreter, scope);
        return Completion.Return;
    }
}

public sealed class BlockStmt : Stmt
{
    private readonly List<Stmt> _statements;

    public BlockStmt(List<Stmt> statements)
    {
        _statements = statements;
    }

    public int Count => _statements.Count;

    public override Completion Execute(Interpreter interpreter, Scope scope)
    {
        var inner = new Scope(scope);
        foreach (var statement in _statements)
        {
            if (statement.Execute(interpreter, inner) == Completion.Return)
            {
                return Completion.Return;
            }
        }

        return Completion.Normal;
    }
}

public sealed class IfStmt : Stmt
{
    private readonly Expr _condition;
    private readonly Stmt _then;
    private readonly Stmt? _else;

    public IfStmt(Expr condition, Stmt then, Stmt? otherwise)
    {
        _condition = condition;
        _then = then;
        _else = otherwise;
    }

    public override Completion Execute(Interpreter interpreter, Scope scope)
    {
        if (Interpreter.IsTrue(_condition.Evaluate(interpreter, scope)))
        {
            return _then.Execute(interpreter, scope);
        }

        return _else is null ? Completion.Normal : _else.Execute(interpreter, scope);
    }
}

public sealed class WhileStmt : Stmt
{
    private readonly Expr _condition;
    private readonly Stmt _body;

    public WhileStmt(Expr condition, Stmt body)
    {
        _condition = condition;
        _body = body;
    }

    public override Completion Execute(Interpreter interpreter, Scope scope)
    {
        while (Interpreter.IsTrue(_condition.Evaluate(interpreter, scope)))
        {
            interpreter.Tick();
            if (_body.Execute(interpreter, scope) == Completion.Return)
            {
                return Completion.Return;
            }
        }

        return Completion.Normal;
    }
}

public sealed class FunctionStmt : Stmt
{
    private readonly Token _name;
    private readonly List<Token> _parameters;
    private readonly BlockStmt _body;

    public FunctionStmt(Token name, List<Token> parameters, BlockStmt body)
    {
        _name = name;
        _parameters = parameters;
        _body = body;
    }

    public string Name => _name.Text;

    public int Arity => _parameters.Count;

    public BlockStmt Body => _body;

    public string Parameter(int index) => _parameters[index].Text;

    public override Completion Execute(Interpreter interpreter, Scope scope)
    {
        interpreter.Declare(this);
        return Completion.Normal;
    }
}
