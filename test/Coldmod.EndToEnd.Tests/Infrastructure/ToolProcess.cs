using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Coldmod.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A long-running child (a <c>coldmod serve</c> or <c>coldmod connect</c> of the installed tool) whose output is kept
/// line by line for tests to wait on. Disposing kills it if it still runs.
/// </summary>
public sealed class ToolProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly SemaphoreSlim _lines = new(0);

    private ToolProcess(Process process) => _process = process;

    /// <summary>Everything the child wrote so far, stdout and stderr.</summary>
    public IReadOnlyCollection<string> Output => _output;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public int Id => _process.Id;

    public static ToolProcess Start(string fileName, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
    {
        var child = new ToolProcess(new Process { StartInfo = ChildProcess.StartInfo(fileName, arguments, workingDirectory, environment) });
        child._process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        child._process.Start();
        child._process.StandardInput.Close();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The first line so far or within the time given that matches; fails with the output when none does.</summary>
    public async Task<Match> WaitForLineAsync(string pattern, TimeSpan timeout, int skip = 0)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var match = _output.Skip(skip).Select(line => regex.Match(line)).FirstOrDefault(m => m.Success);
            if (match is not null)
            {
                return match;
            }

            var left = timeout - deadline.Elapsed;
            if (HasExited)
            {
                // The exit's last lines may still be on their way.
                await Task.Delay(200);
                if (_output.Skip(skip).Any(line => regex.IsMatch(line)))
                {
                    continue;
                }

                Assert.Fail($"no line matched /{pattern}/: the child exited with {ExitCode}:\n{string.Join('\n', _output)}");
            }

            Assert.True(left > TimeSpan.Zero, $"no line matched /{pattern}/ within {timeout.TotalSeconds} s{(HasExited ? $" (exited with {ExitCode})" : "")}:\n{string.Join('\n', _output)}");
            await _lines.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>Sends SIGINT, as Ctrl+C in a terminal does, and waits for the exit.</summary>
    public async Task<int> InterruptAsync(TimeSpan timeout)
    {
        using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var limit = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(limit.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: the child gets no chance to say goodbye.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
        _lines.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _output.Enqueue(line);
            _lines.Release();
        }
    }
}
