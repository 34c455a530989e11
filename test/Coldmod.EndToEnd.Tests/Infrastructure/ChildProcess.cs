using System.Diagnostics;
using System.Text;

namespace Coldmod.EndToEnd.Tests.Infrastructure;

/// <summary>Runs a child process with a time limit, capturing its output; on timeout the whole process tree is killed.</summary>
public static class ChildProcess
{
    /// <summary>The dotnet host running the tests, so children use the same SDK.</summary>
    public static string DotNetHost { get; } = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host)
        ? host
        : "dotnet";

    /// <summary>How every child starts: output redirected, no input, and none of the test run's MSBuild settings.</summary>
    public static ProcessStartInfo StartInfo(string fileName, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // `dotnet test` hands its own MSBuild settings down to the test host; a nested build must not inherit them.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string?> environment,
        TimeSpan timeout)
    {
        var start = StartInfo(fileName, arguments, workingDirectory, environment);
        var output = new StringBuilder();
        var commandLine = $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)}";
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new ProcessResult(commandLine, -1, $"{Captured(output)}\n[killed: no exit within {timeout.TotalSeconds:0}s]", stopwatch.Elapsed);
        }

        // The parameterless wait also drains the redirected streams.
        await process.WaitForExitAsync();
        return new ProcessResult(commandLine, process.ExitCode, Captured(output), stopwatch.Elapsed);
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.Append(line).Append('\n');
        }
    }

    private static string Captured(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
