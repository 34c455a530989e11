using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Coldmod.Cli.Tests.Connect;

/// <summary>
/// A real `dotnet coldmod.dll connect` in a checkout, with its output captured line by line. Only the process this
/// object started is ever signalled; disposing kills it if it is still running.
/// </summary>
public sealed class ConnectProcess : IDisposable
{
    private static readonly string s_coldmod = Path.Combine(AppContext.BaseDirectory, "coldmod.dll");
    private static readonly TimeSpan s_wait = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    public ConnectProcess(string root, IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = root,
        };
        info.ArgumentList.Add(s_coldmod);
        info.ArgumentList.Add("connect");
        info.ArgumentList.Add("--no-open");
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        // Nothing of the test runner's own setting may steer the CLI: no display, no editor but the test's.
        foreach (var name in new[] { "DISPLAY", "WAYLAND_DISPLAY", "VISUAL", "EDITOR", "COLDMOD_API_KEY", "COLDMOD_TLS_CA" })
        {
            info.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join("\n", _lines);

    // Waits (bounded) for a line the predicate accepts and returns it.
    public async Task<string> WaitForLineAsync(Func<string, bool> accept, string what)
    {
        var deadline = DateTime.UtcNow + s_wait;
        while (DateTime.UtcNow < deadline)
        {
            if (_lines.FirstOrDefault(accept) is { } line)
            {
                return line;
            }

            if (_process.HasExited)
            {
                break;
            }

            await Task.Delay(50);
        }

        throw new InvalidOperationException($"coldmod connect printed no line {what} within {s_wait.TotalSeconds:0} s (exited: {_process.HasExited}):\n{Output}");
    }

    // Ctrl+C as a terminal sends it, then the exit code (bounded wait).
    public async Task<int> InterruptAsync()
    {
        using (var signal = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-s", "INT", _process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })!)
        {
            await signal.WaitForExitAsync();
        }

        using var timeout = new CancellationTokenSource(s_wait);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(TimeSpan.FromSeconds(10));
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }
}
