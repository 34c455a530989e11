namespace Coldmod.Cli.Commands;

// Commands never touch Console or the process's current directory, so tests can run several of them at once.
internal sealed record CommandContext(TextWriter Out, TextWriter Error, string WorkingDirectory)
{
    public string FullPath(string path) => Path.GetFullPath(path, WorkingDirectory);
}
