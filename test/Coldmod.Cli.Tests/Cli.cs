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
}
