using System;

namespace Bench.Script;

public sealed class ScriptException : Exception
{
    public ScriptException(string message, int line)
        : base($"line {line}: {message}")
    {
    }
}
