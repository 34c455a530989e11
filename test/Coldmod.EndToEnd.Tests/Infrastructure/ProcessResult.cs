namespace Coldmod.EndToEnd.Tests.Infrastructure;

/// <summary>A finished child process: its command line, exit code and interleaved stdout and stderr.</summary>
public sealed record ProcessResult(string CommandLine, int ExitCode, string Output, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    // Enough of the end of the output to hold a build's errors and summary, without flooding the log with a diagnostic build.
    private const int DescribedOutputLength = 30_000;

    /// <summary>What a failed assertion prints, so a broken build explains itself in the test log.</summary>
    public string Describe()
    {
        var output = Output.Length <= DescribedOutputLength ? Output : $"[… {Output.Length - DescribedOutputLength} characters before]\n{Output[^DescribedOutputLength..]}";
        return $"`{CommandLine}` exited with {ExitCode} after {Elapsed.TotalSeconds:0.0}s:\n{output}";
    }

    public ProcessResult EnsureSuccess()
    {
        if (!Succeeded)
        {
            throw new InvalidOperationException(Describe());
        }

        return this;
    }
}
