using System.Collections.Generic;

namespace Bench.Script;

public abstract class Expr
{
    public abstract long Evaluate(Interpreter interpreter, Scope scope);
}

public sealed class NumberExpr : Expr
{
    private readonly long _value;

    public NumberExpr(long value)
    {
        _value = value;
    }

    public long Value => _value;

    public override long Evaluate(Interpreter interpreter, Scope scope) => _value;
}

public sealed class VariableExpr : Expr
{
    private readonly Token _name;

    public VariableExpr(Token name)
    {
        _name = name;
    }

    public Token Name => _name;

    public override long Evaluate(Interpreter interpreter, Scope scope) => scope.Get(_name);
}

public sealed class AssignExpr : Expr
{
    private readonly Token _name;
    private readonly Expr _value;

    public AssignExpr(Token name, Expr value)
    {
        _name = name;
        _value = value;
    }

    public override long Evaluate(Interpreter interpreter, Scope scope)
    {
        var value = _value.Evaluate(interpreter, scope);
        scope.Assign(_name, value);
        return value;
    }
}

public sealed class UnaryExpr : Expr
{
    private readonly TokenKind _op;
    private readonly Expr _operand;

    public UnaryExpr(TokenKind op, Expr operand)
    {
        _op = op;
        _operand = operand;
    }

    public override long Evaluate(Interpreter interpreter, Scope scope)
    {
        var value = _operand.Evaluate(interpreter, scope);
        return _op == TokenKind.Minus ? -value : Interpreter.FromBool(!Interpreter.IsTrue(value));
    }
}

public sealed class BinaryExpr : Expr
{
    private readonly Expr _left;
    private readonly Token _op;
    private readonly Expr _right;

    public BinaryExpr(Expr left, Token op, Expr right)
    {
        _left = left;
        _op = op;
        _right = right;
    }

    public override long Evaluate(Interpreter interpreter, Scope scope)
    {
        var left = _left.Evaluate(interpreter, scope);
        var right = _right.Evaluate(interpreter, scope);
        switch (_op.Kind)
        {
            case TokenKind.Plus: return unchecked(left + right);
            case TokenKind.Minus: return unchecked(left - right);
            case TokenKind.Star: return unchecked(left * right);
            case TokenKind.Slash: return right == 0 ? 0 : left / right;
            case TokenKind.Percent: return right == 0 ? 0 : left % right;
            case TokenKind.Less: return Interpreter.FromBool(left < right);
            case TokenKind.LessEqual: return Interpreter.FromBool(left <= right);
            case TokenKind.Greater: return Interpreter.FromBool(left > right);
            case TokenKind.GreaterEqual: return Interpreter.FromBool(left >= right);
            case TokenKind.EqualEqual: return Interpreter.FromBool(left == right);
            case TokenKind.BangEqual: return Interpreter.FromBool(left != right);
            default: throw new ScriptException($"unknown operator {_op.Text}", _op.Line);
        }
    }
}

public sealed class LogicalExpr : Expr
{
    private readonly Expr _left;
    private readonly TokenKind _op;
    private readonly Expr _right;

    public LogicalExpr(Expr left, TokenKind op, Expr right)
    {
        _left = left;
        _op = op;
        _right = right;
    }

    public override long Evaluate(Interpreter interpreter, Scope scope)
    {
        var left = Interpreter.IsTrue(_left.Evaluate(interpreter, scope));
        if (_op == TokenKind.OrOr ? left : !left)
        {
            return Interpreter.FromBool(left);
        }

        return Interpreter.FromBool(Interpreter.IsTrue(_right.Evaluate(interpreter, scope)));
    }
}

public sealed class CallExpr : Expr
{
    private readonly Token _callee;
    private readonly List<Expr> _arguments;

    public CallExpr(Token callee, List<Expr> arguments)
    {
        _callee = callee;
        _arguments = arguments;
    }

    public override long Evaluate(Interpreter interpreter, Scope scope)
    {
        var function = interpreter.Function(_callee);
        if (function.Arity != _arguments.Count)
        {
            throw new ScriptException($"{_callee.Text} takes {function.Arity} arguments, not {_arguments.Count}", _callee.Line);
        }

        var frame = new Scope(interpreter.Globals);
        for (var i = 0; i < _arguments.Count; i++)
        {
            frame.Define(function.Parameter(i), _arguments[i].Evaluate(interpreter, scope));
        }

        return interpreter.Call(function, frame);
    }
}
