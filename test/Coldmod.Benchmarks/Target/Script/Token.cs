namespace Bench.Script;

// Properties with bodies, not auto-properties: the compiler marks auto-property accessors as generated
// and Coldmod does not probe those, while hand-written getters like these are what the probe meets.
public sealed class Token
{
    private readonly TokenKind _kind;
    private readonly string _text;
    private readonly long _number;
    private readonly int _line;

    public Token(TokenKind kind, string text, long number, int line)
    {
        _kind = kind;
        _text = text;
        _number = number;
        _line = line;
    }

    public TokenKind Kind => _kind;

    public string Text => _text;

    public long Number => _number;

    public int Line => _line;

    public bool Is(TokenKind kind) => _kind == kind;

    public override string ToString() => $"{_kind} '{_text}' at line {_line}";
}
