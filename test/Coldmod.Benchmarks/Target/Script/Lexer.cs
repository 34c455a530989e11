using System.Collections.Generic;

namespace Bench.Script;

public sealed class Lexer
{
    private static readonly Dictionary<string, TokenKind> s_keywords = new()
    {
        ["let"] = TokenKind.Let,
        ["fn"] = TokenKind.Fn,
        ["if"] = TokenKind.If,
        ["else"] = TokenKind.Else,
        ["while"] = TokenKind.While,
        ["return"] = TokenKind.Return,
        ["print"] = TokenKind.Print,
    };

    private readonly string _source;
    private readonly List<Token> _tokens = new();
    private int _start;
    private int _current;
    private int _line = 1;

    public Lexer(string source)
    {
        _source = source;
    }

    private bool IsAtEnd => _current >= _source.Length;

    public List<Token> ScanTokens()
    {
        while (!IsAtEnd)
        {
            _start = _current;
            ScanToken();
        }

        _tokens.Add(new Token(TokenKind.Eof, "", 0, _line));
        return _tokens;
    }

    private void ScanToken()
    {
        var c = Advance();
        switch (c)
        {
            case '(': AddToken(TokenKind.LeftParen); break;
            case ')': AddToken(TokenKind.RightParen); break;
            case '{': AddToken(TokenKind.LeftBrace); break;
            case '}': AddToken(TokenKind.RightBrace); break;
            case ',': AddToken(TokenKind.Comma); break;
            case ';': AddToken(TokenKind.Semicolon); break;
            case '+': AddToken(TokenKind.Plus); break;
            case '-': AddToken(TokenKind.Minus); break;
            case '*': AddToken(TokenKind.Star); break;
            case '%': AddToken(TokenKind.Percent); break;
            case '!': AddToken(Match('=') ? TokenKind.BangEqual : TokenKind.Bang); break;
            case '=': AddToken(Match('=') ? TokenKind.EqualEqual : TokenKind.Equal); break;
            case '<': AddToken(Match('=') ? TokenKind.LessEqual : TokenKind.Less); break;
            case '>': AddToken(Match('=') ? TokenKind.GreaterEqual : TokenKind.Greater); break;
            case '&':
                Expect('&');
                AddToken(TokenKind.AndAnd);
                break;
            case '|':
                Expect('|');
                AddToken(TokenKind.OrOr);
                break;
            case '/':
                if (Match('/'))
                {
                    SkipComment();
                }
                else
                {
                    AddToken(TokenKind.Slash);
                }

                break;
            case ' ':
            case '\r':
            case '\t':
                break;
            case '\n':
                _line++;
                break;
            default:
                if (IsDigit(c))
                {
                    Number();
                }
                else if (IsAlpha(c))
                {
                    Identifier();
                }
                else
                {
                    throw new ScriptException($"unexpected character '{c}'", _line);
                }

                break;
        }
    }

    private void SkipComment()
    {
        while (Peek() != '\n' && !IsAtEnd)
        {
            Advance();
        }
    }

    private void Number()
    {
        while (IsDigit(Peek()))
        {
            Advance();
        }

        long value = 0;
        for (var i = _start; i < _current; i++)
        {
            value = (value * 10) + (_source[i] - '0');
        }

        _tokens.Add(new Token(TokenKind.Number, CurrentText(), value, _line));
    }

    private void Identifier()
    {
        while (IsAlphaNumeric(Peek()))
        {
            Advance();
        }

        var text = CurrentText();
        var kind = s_keywords.TryGetValue(text, out var keyword) ? keyword : TokenKind.Identifier;
        _tokens.Add(new Token(kind, text, 0, _line));
    }

    private void Expect(char expected)
    {
        if (!Match(expected))
        {
            throw new ScriptException($"expected '{expected}'", _line);
        }
    }

    private bool Match(char expected)
    {
        if (IsAtEnd || _source[_current] != expected)
        {
            return false;
        }

        _current++;
        return true;
    }

    private char Advance() => _source[_current++];

    private char Peek() => IsAtEnd ? '\0' : _source[_current];

    private string CurrentText() => _source.Substring(_start, _current - _start);

    private void AddToken(TokenKind kind) => _tokens.Add(new Token(kind, CurrentText(), 0, _line));

    private static bool IsDigit(char c) => c >= '0' && c <= '9';

    private static bool IsAlpha(char c) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';

    private static bool IsAlphaNumeric(char c) => IsAlpha(c) || IsDigit(c);
}
