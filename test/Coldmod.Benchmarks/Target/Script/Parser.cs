using System.Collections.Generic;

namespace Bench.Script;

public sealed class Parser
{
    private readonly List<Token> _tokens;
    private int _current;

    public Parser(List<Token> tokens)
    {
        _tokens = tokens;
    }

    private bool IsAtEnd => Peek().Kind == TokenKind.Eof;

    public List<Stmt> Parse()
    {
        var statements = new List<Stmt>();
        while (!IsAtEnd)
        {
            statements.Add(Declaration());
        }

        return statements;
    }

    private Stmt Declaration()
    {
        if (Match(TokenKind.Fn))
        {
            return Function();
        }

        if (Match(TokenKind.Let))
        {
            return Let();
        }

        return Statement();
    }

    private FunctionStmt Function()
    {
        var name = Consume(TokenKind.Identifier, "a function name");
        Consume(TokenKind.LeftParen, "'(' after the function name");
        var parameters = new List<Token>();
        if (!Check(TokenKind.RightParen))
        {
            do
            {
                parameters.Add(Consume(TokenKind.Identifier, "a parameter name"));
            }
            while (Match(TokenKind.Comma));
        }

        Consume(TokenKind.RightParen, "')' after the parameters");
        Consume(TokenKind.LeftBrace, "'{' before the function body");
        return new FunctionStmt(name, parameters, Block());
    }

    private LetStmt Let()
    {
        var name = Consume(TokenKind.Identifier, "a variable name");
        Consume(TokenKind.Equal, "'=' after the variable name");
        var initializer = Expression();
        Consume(TokenKind.Semicolon, "';' after the declaration");
        return new LetStmt(name, initializer);
    }

    private Stmt Statement()
    {
        if (Match(TokenKind.If))
        {
            return If();
        }

        if (Match(TokenKind.While))
        {
            return While();
        }

        if (Match(TokenKind.Return))
        {
            return Return();
        }

        if (Match(TokenKind.Print))
        {
            var value = Expression();
            Consume(TokenKind.Semicolon, "';' after the value");
            return new PrintStmt(value);
        }

        if (Match(TokenKind.LeftBrace))
        {
            return Block();
        }

        var expression = Expression();
        Consume(TokenKind.Semicolon, "';' after the expression");
        return new ExpressionStmt(expression);
    }

    private IfStmt If()
    {
        Consume(TokenKind.LeftParen, "'(' after 'if'");
        var condition = Expression();
        Consume(TokenKind.RightParen, "')' after the condition");
        var then = Statement();
        Stmt? otherwise = null;
        if (Match(TokenKind.Else))
        {
            otherwise = Statement();
        }

        return new IfStmt(condition, then, otherwise);
    }

    private WhileStmt While()
    {
        Consume(TokenKind.LeftParen, "'(' after 'while'");
        var condition = Expression();
        Consume(TokenKind.RightParen, "')' after the condition");
        return new WhileStmt(condition, Statement());
    }

    private ReturnStmt Return()
    {
        Expr? value = null;
        if (!Check(TokenKind.Semicolon))
        {
            value = Expression();
        }

        Consume(TokenKind.Semicolon, "';' after the return value");
        return new ReturnStmt(value);
    }

    private BlockStmt Block()
    {
        var statements = new List<Stmt>();
        while (!Check(TokenKind.RightBrace) && !IsAtEnd)
        {
            statements.Add(Declaration());
        }

        Consume(TokenKind.RightBrace, "'}' after the block");
        return new BlockStmt(statements);
    }

    private Expr Expression() => Assignment();

    private Expr Assignment()
    {
        var target = Or();
        if (Match(TokenKind.Equal))
        {
            var equals = Previous();
            var value = Assignment();
            if (target is VariableExpr variable)
            {
                return new AssignExpr(variable.Name, value);
            }

            throw new ScriptException("only a variable can be assigned", equals.Line);
        }

        return target;
    }

    private Expr Or()
    {
        var expression = And();
        while (Match(TokenKind.OrOr))
        {
            expression = new LogicalExpr(expression, TokenKind.OrOr, And());
        }

        return expression;
    }

    private Expr And()
    {
        var expression = Equality();
        while (Match(TokenKind.AndAnd))
        {
            expression = new LogicalExpr(expression, TokenKind.AndAnd, Equality());
        }

        return expression;
    }

    private Expr Equality()
    {
        var expression = Comparison();
        while (Match(TokenKind.EqualEqual, TokenKind.BangEqual))
        {
            var op = Previous();
            expression = new BinaryExpr(expression, op, Comparison());
        }

        return expression;
    }

    private Expr Comparison()
    {
        var expression = Term();
        while (Match(TokenKind.Less, TokenKind.LessEqual) || Match(TokenKind.Greater, TokenKind.GreaterEqual))
        {
            var op = Previous();
            expression = new BinaryExpr(expression, op, Term());
        }

        return expression;
    }

    private Expr Term()
    {
        var expression = Factor();
        while (Match(TokenKind.Plus, TokenKind.Minus))
        {
            var op = Previous();
            expression = new BinaryExpr(expression, op, Factor());
        }

        return expression;
    }

    private Expr Factor()
    {
        var expression = Unary();
        while (Match(TokenKind.Star, TokenKind.Slash) || Match(TokenKind.Percent))
        {
            var op = Previous();
            expression = new BinaryExpr(expression, op, Unary());
        }

        return expression;
    }

    private Expr Unary()
    {
        if (Match(TokenKind.Minus, TokenKind.Bang))
        {
            var op = Previous().Kind;
            return new UnaryExpr(op, Unary());
        }

        return Call();
    }

    private Expr Call()
    {
        var expression = Primary();
        if (expression is VariableExpr callee && Match(TokenKind.LeftParen))
        {
            var arguments = new List<Expr>();
            if (!Check(TokenKind.RightParen))
            {
                do
                {
                    arguments.Add(Expression());
                }
                while (Match(TokenKind.Comma));
            }

            Consume(TokenKind.RightParen, "')' after the arguments");
            return new CallExpr(callee.Name, arguments);
        }

        return expression;
    }

    private Expr Primary()
    {
        if (Match(TokenKind.Number))
        {
            return new NumberExpr(Previous().Number);
        }

        if (Match(TokenKind.Identifier))
        {
            return new VariableExpr(Previous());
        }

        if (Match(TokenKind.LeftParen))
        {
            var expression = Expression();
            Consume(TokenKind.RightParen, "')' after the expression");
            return expression;
        }

        throw new ScriptException($"expected an expression, found {Peek()}", Peek().Line);
    }

    private bool Match(TokenKind kind)
    {
        if (!Check(kind))
        {
            return false;
        }

        Advance();
        return true;
    }

    private bool Match(TokenKind first, TokenKind second) => Match(first) || Match(second);

    private bool Check(TokenKind kind) => !IsAtEnd && Peek().Is(kind);

    private Token Consume(TokenKind kind, string what)
    {
        if (Check(kind))
        {
            return Advance();
        }

        throw new ScriptException($"expected {what}, found {Peek()}", Peek().Line);
    }

    private Token Advance()
    {
        if (!IsAtEnd)
        {
            _current++;
        }

        return Previous();
    }

    private Token Peek() => _tokens[_current];

    private Token Previous() => _tokens[_current - 1];
}
