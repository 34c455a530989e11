namespace Bench.Script;

public static class ScriptRunner
{
    // Lexes, parses and runs every program with its own globals; the result folds every printed value,
    // so a weave that changed behaviour changes the checksum.
    public static long RunAll(string[] programs)
    {
        long checksum = 0;
        foreach (var source in programs)
        {
            var tokens = new Lexer(source).ScanTokens();
            var program = new Parser(tokens).Parse();
            var interpreter = new Interpreter();
            interpreter.Run(program);
            checksum = unchecked((checksum * 1_000_003) + interpreter.Checksum + interpreter.Printed);
        }

        return checksum;
    }
}
