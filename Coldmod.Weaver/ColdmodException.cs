namespace Coldmod.Weaver;

/// <summary>
/// A failure the user can fix: bad configuration, a missing file, a build that cannot be read.
/// <see cref="Exception.Message"/> is one line that says what is wrong and what to do;
/// <see cref="File"/>, <see cref="Line"/> and <see cref="Column"/> point at the cause when it has a place.
/// </summary>
public sealed class ColdmodException : Exception
{
    public ColdmodException(string code, string message, string? file = null, int line = 0, int column = 0, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        File = file;
        Line = line;
        Column = column;
    }

    /// <summary>A stable diagnostic code such as <c>CM0001</c>.</summary>
    public string Code { get; }

    /// <summary>The file the failure is about, if any.</summary>
    public string? File { get; }

    /// <summary>One-based line in <see cref="File"/>, or 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>One-based column in <see cref="File"/>, or 0 when unknown.</summary>
    public int Column { get; }

    /// <summary>The message prefixed with <c>file(line,col)</c> when the failure has a place, as compilers print it.</summary>
    public string ToDiagnosticString()
    {
        if (File is null)
        {
            return $"error {Code}: {Message}";
        }

        var place = Line > 0 ? $"{File}({Line},{Math.Max(Column, 1)})" : File;
        return $"{place}: error {Code}: {Message}";
    }
}
