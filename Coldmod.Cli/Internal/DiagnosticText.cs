using Coldmod.Weaver;

namespace Coldmod.Cli.Internal;

// Anything with a place is printed as compilers print it, "file(line,col): error CODE: message", so editors
// and CI logs link to it; the rest is prefixed with the tool's name so it is clear who is talking.
internal static class DiagnosticText
{
    private const string Tool = "coldmod";

    public static string Error(ColdmodException exception) =>
        exception.File is null ? $"{Tool}: {exception.ToDiagnosticString()}" : exception.ToDiagnosticString();

    // For what has no diagnostic code: command-line mistakes, I/O failures.
    public static string PlainError(string message) => $"{Tool}: error: {message}";

    public static string Warning(ScanWarning warning) => warning switch
    {
        { File: null } => $"{Tool}: warning {warning.Code}: {warning.Message}",
        { Line: > 0 } => $"{warning.File}({warning.Line}): warning {warning.Code}: {warning.Message}",
        _ => $"{warning.File}: warning {warning.Code}: {warning.Message}",
    };

    public static string Warning(string file, string message) => $"{file}: warning: {message}";

    public static string PlainWarning(string message) => $"{Tool}: warning: {message}";

    public static string Note(string message) => $"{Tool}: {message}";
}
