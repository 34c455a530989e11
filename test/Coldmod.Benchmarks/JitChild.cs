using System.Diagnostics;

namespace Coldmod.Benchmarks;

/// <summary>
/// A child process of this benchmark program that runs one command with the JIT writing its listings to a file: the
/// disasm and workload-jit tools each run their copies alone, so a listing can only be of the code they name.
/// </summary>
internal static class JitChild
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(180);

    /// <summary>The start of this program again with <paramref name="arguments"/>, its JIT output going to <paramref name="jitOutput"/>.</summary>
    public static ProcessStartInfo Start(string jitOutput, params string[] arguments)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The process path is unknown; cannot start a child of the benchmarks.");
        var start = new ProcessStartInfo(host) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(JitChild).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_JitStdOutFile"] = jitOutput;
        return start;
    }

    /// <summary>Runs the child to its end; null when it did and left its JIT output, otherwise what went wrong.</summary>
    public static string? Run(ProcessStartInfo start)
    {
        var output = start.Environment["DOTNET_JitStdOutFile"]!;
        File.Delete(output);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("The child process did not start.");
        if (!child.WaitForExit(s_timeout))
        {
            child.Kill();
            return $"the child process did not finish within {s_timeout.TotalSeconds:F0} s; it was stopped.";
        }

        if (child.ExitCode != 0)
        {
            return $"the child process failed with exit code {child.ExitCode}.";
        }

        return File.Exists(output) ? null : $"the JIT wrote no output to {output}; this runtime may not honour DOTNET_JitStdOutFile.";
    }
}
