using Coldmod.Cli.Internal;
using Coldmod.Cli.Options;
using Coldmod.Weaver;

namespace Coldmod.Cli.Commands;

internal sealed class IgnoreCommand(CommandContext context) : ICommand<IgnoreOptions>
{
    public int Execute(IgnoreOptions options)
    {
        var keys = options.Keys.ToList();
        if (keys.FirstOrDefault(k => k.Trim().Length == 0 || k.Any(char.IsControl)) is { } bad)
        {
            throw new UsageException($"'{bad}' is not a key: keys are non-empty and hold no control characters.");
        }

        var builds = LocalBuilds.FromOptions(options, context);
        var root = RootMarker.Find(context.WorkingDirectory);
        var original = File.ReadAllText(root.FilePath);
        var edit = RootMarkerEditor.AddIgnoreKeys(original, keys, root.FilePath);
        foreach (var key in edit.AlreadyPresent)
        {
            context.Error.WriteLine(DiagnosticText.Note($"{key} is already in ignore.keys"));
        }

        if (edit.Added.Count == 0)
        {
            return ExitCodes.Success;
        }

        WarnAboutUnknownKeys(builds, edit.Added);
        File.WriteAllText(root.FilePath, edit.Text);
        try
        {
            // Proves the edit still reads as a marker; a failure here is a bug in the editor, and the user's file is put back.
            RootMarker.Load(root.FilePath);
        }
        catch (ColdmodException)
        {
            File.WriteAllText(root.FilePath, original);
            throw;
        }

        foreach (var key in edit.Added)
        {
            context.Out.WriteLine(key);
        }

        context.Error.WriteLine($"{Plural.Count(edit.Added.Count, "key")} added to ignore.keys in {root.FilePath}");
        return ExitCodes.Success;
    }

    // A typo would otherwise ignore nothing, silently. Without a build there is nothing to check against, so no warning.
    private void WarnAboutUnknownKeys(LocalBuilds builds, IReadOnlyList<string> added)
    {
        LocalSrcs local;
        try
        {
            local = builds.Read();
        }
        catch (ColdmodException)
        {
            return;
        }

        var known = local.Srcs.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        foreach (var key in added.Where(k => !known.Contains(k)))
        {
            context.Error.WriteLine(DiagnosticText.PlainWarning($"{key} is not a src of the local builds (spelled as 'coldmod srcs' lists it?); added anyway."));
        }
    }
}
