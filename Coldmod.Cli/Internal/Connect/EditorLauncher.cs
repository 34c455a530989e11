using System.Diagnostics;
using Coldmod.Cli.Commands;

namespace Coldmod.Cli.Internal.Connect;

// Opens a file at a line in the developer's editor: $VISUAL, else $EDITOR, as `EDITOR +LINE FILE` (what vi, emacs,
// nano and most terminal editors take), else VS Code's `code -g FILE:LINE` when it is on the PATH.
internal sealed class EditorLauncher(CommandContext context)
{
    // A terminal editor runs until the developer quits it; the page should not wait that long to hear it started.
    private static readonly TimeSpan s_startCheck = TimeSpan.FromSeconds(1);

    public CommandOutcome Open(string file, int line)
    {
        var (program, arguments) = Command(file, line);
        if (program is null)
        {
            return CommandOutcome.Refused("no editor to open it with: set $VISUAL or $EDITOR (for example EDITOR=vim), or put VS Code's 'code' on the PATH, then retry");
        }

        var shown = string.Join(' ', [program, .. arguments]);
        var start = new ProcessStartInfo(program) { UseShellExecute = false, WorkingDirectory = context.WorkingDirectory };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var editor = Process.Start(start);
            if (editor is not null && editor.WaitForExit(s_startCheck) && editor.ExitCode != 0)
            {
                return CommandOutcome.Refused($"the editor exited with code {editor.ExitCode}: {shown}");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return CommandOutcome.Refused($"could not start the editor ({e.Message}): {shown}; check $VISUAL / $EDITOR");
        }

        return new CommandOutcome(true, $"started {shown}", "");
    }

    private (string? Program, List<string> Arguments) Command(string file, int line)
    {
        var lineText = line.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if ((context.Setting("VISUAL") ?? context.Setting("EDITOR")) is { } editor)
        {
            // The variable may carry the editor's own options ("code -w", "emacsclient -n"); no shell is involved.
            var words = editor.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (words.Length > 0)
            {
                return (words[0], [.. words[1..], $"+{lineText}", file]);
            }
        }

        return FindOnPath("code") is { } code ? (code, ["-g", $"{file}:{lineText}"]) : (null, []);
    }

    private string? FindOnPath(string name)
    {
        foreach (var directory in (context.Setting("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
