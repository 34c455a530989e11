using Coldmod.Cli.Commands;

namespace Coldmod.Cli.Tests;

public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public string[] ErrorLines => Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}

// In-process, with both streams captured and the working directory given: tests run in parallel and share one process.
public static class Cli
{
    public static CliResult Run(string workingDirectory, params string[] args)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var exitCode = Program.Run(args, stdout, stderr, workingDirectory);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    // With the COLDMOD_* environment given (anything not in it reads as unset), as the server verbs need.
    public static CliResult Run(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var stdout = new StringWriter { NewLine = "\n" };
        using var stderr = new StringWriter { NewLine = "\n" };
        var context = new CommandContext(stdout, stderr, workingDirectory) { Environment = name => environment.GetValueOrDefault(name) };
        var exitCode = Program.Run(args, context);
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }
}
