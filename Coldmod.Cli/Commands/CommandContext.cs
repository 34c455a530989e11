namespace Coldmod.Cli.Commands;

// Commands never touch Console, the process's current directory or its environment directly, so tests can run
// several of them at once, each with its own settings.
internal sealed record CommandContext(TextWriter Out, TextWriter Error, string WorkingDirectory)
{
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    // Stops long-running verbs (serve); Program ties it to Ctrl+C and SIGTERM.
    public CancellationToken Stopping { get; init; }

    // Called with each assembly really scanned rather than read from .coldmod-cache/; tests count scans with it.
    public Action<string>? AssemblyScanned { get; init; }

    // Called with each file `rm` is about to write; tests fail a write part of the way with it.
    public Action<string>? WritingFile { get; init; }

    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);

    // An unset variable and one set to nothing mean the same: use the default.
    public string? Setting(string name) => Environment(name) is { Length: > 0 } value ? value : null;
}
