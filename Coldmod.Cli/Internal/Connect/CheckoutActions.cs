using Coldmod.Cli.Commands;
using Coldmod.Cli.Options;
using Coldmod.Protocol;

namespace Coldmod.Cli.Internal.Connect;

// Carries out the page's commands in the checkout. Ignore and remove are the `coldmod ignore` and `coldmod rm` verbs
// themselves, run in this process with their output captured, so the page gets exactly what the terminal would.
internal sealed class CheckoutActions(BuildOptions build, CommandContext context)
{
    private readonly EditorLauncher _editor = new(context);

    // Whether the command may have changed a file, so the inventory is read again.
    public static bool Edits(ModCommand command) =>
        command.KindCase is ModCommand.KindOneofCase.Ignore || (command.KindCase is ModCommand.KindOneofCase.Remove && !command.DryRun);

    public CommandOutcome Run(ModCommand command, CheckoutInventory inventory)
    {
        var keys = command.KindCase switch
        {
            ModCommand.KindOneofCase.Ignore => command.Ignore.Keys,
            ModCommand.KindOneofCase.Remove => command.Remove.Keys,
            ModCommand.KindOneofCase.Open => command.Open.Keys,
            _ => null,
        };
        if (keys is null)
        {
            return CommandOutcome.Refused($"this coldmod does not know the command '{command.KindCase}'; update it (dotnet tool update coldmod)");
        }

        if (keys.Count == 0)
        {
            return CommandOutcome.Refused("the command names no key");
        }

        if (inventory.Stale.Length > 0)
        {
            return CommandOutcome.Refused($"the local build is stale ({inventory.Stale})");
        }

        var unknown = keys.Where(k => !inventory.KeySet.Contains(k)).ToList();
        if (unknown.Count > 0)
        {
            return CommandOutcome.Refused($"not a key of this checkout's build: {string.Join(", ", unknown)} (renamed, removed, ignored, or built elsewhere?)");
        }

        return command.KindCase switch
        {
            ModCommand.KindOneofCase.Ignore => Verb(["ignore", .. BuildArguments(), "--", .. keys]),
            ModCommand.KindOneofCase.Remove => Verb(["rm", .. command.DryRun ? ["--dry-run"] : Array.Empty<string>(), .. BuildArguments(), "--", .. keys]),
            _ => Open(keys, inventory),
        };
    }

    private CommandOutcome Open(IEnumerable<string> keys, CheckoutInventory inventory)
    {
        var started = new List<string>();
        foreach (var key in keys)
        {
            var local = inventory.Keys.First(k => string.Equals(k.Key, key, StringComparison.Ordinal));
            var root = RootDirectory();
            var outcome = _editor.Open(Path.GetFullPath(Path.Combine(root, local.File)), local.Line);
            if (!outcome.Ok)
            {
                return outcome with { Output = string.Join('\n', started) };
            }

            started.Add(outcome.Output);
        }

        return new CommandOutcome(true, string.Join('\n', started), "");
    }

    private string RootDirectory() => Weaver.RootMarker.Find(context.WorkingDirectory).RootDirectory;

    private CommandOutcome Verb(string[] arguments)
    {
        using var output = new StringWriter { NewLine = "\n" };
        using var errors = new StringWriter { NewLine = "\n" };
        var exitCode = Program.Run(arguments, context with { Out = output, Error = errors });
        var error = errors.ToString().TrimEnd('\n');
        return exitCode == ExitCodes.Success
            ? new CommandOutcome(true, Join(output.ToString(), error), "")
            : new CommandOutcome(false, output.ToString().TrimEnd('\n'), error);
    }

    private static string Join(string output, string error) =>
        error.Length == 0 ? output.TrimEnd('\n') : output.Length == 0 ? error : $"{output.TrimEnd('\n')}\n{error}";

    // The connect command's own build options, so the verbs read the same build the inventory came from.
    private List<string> BuildArguments()
    {
        var arguments = new List<string>();
        if (build.Configuration is { } configuration)
        {
            arguments.AddRange(["-c", configuration]);
        }

        foreach (var assembly in build.Assemblies)
        {
            arguments.AddRange(["-a", assembly]);
        }

        foreach (var sourceRoot in build.SourceRoots)
        {
            arguments.AddRange(["--source-root", sourceRoot]);
        }

        if (build.NoCache)
        {
            arguments.Add("--no-cache");
        }

        return arguments;
    }
}
