using Coldmod.Cli.Codemods;
using Coldmod.Cli.Internal;
using Coldmod.Cli.Options;

namespace Coldmod.Cli.Commands;

internal sealed class RemoveCommand(CommandContext context) : ICommand<RemoveOptions>
{
    private const string LambdaSeparator = "=>";

    public int Execute(RemoveOptions options)
    {
        var keys = options.Keys.Select(k => k.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (keys.FirstOrDefault(k => k.Length == 0 || k.Any(char.IsControl)) is { } bad)
        {
            throw new UsageException($"'{bad}' is not a key: keys are non-empty and hold no control characters.");
        }

        if (keys.FirstOrDefault(k => k.Contains(LambdaSeparator, StringComparison.Ordinal)) is { } lambda)
        {
            throw new UsageException(
                $"'{lambda}' is a lambda or local function: those cannot be removed on their own, only with the method that holds them (remove '{lambda[..lambda.IndexOf(LambdaSeparator, StringComparison.Ordinal)]}', or edit it by hand). To stop seeing it as cold, run: coldmod ignore '{lambda}'");
        }

        var builds = LocalBuilds.FromOptions(options, context);
        var local = builds.Read();
        foreach (var warning in local.Warnings)
        {
            context.Error.WriteLine(warning);
        }

        using var assemblies = new BuildSet(local.Root, local.SourceRoots, local.Scans.Select(s => s.AssemblyPath));
        var plan = new RemovalPlanner(local.Root, local.Scans, assemblies, options.Force).Plan(keys);
        foreach (var note in plan.Notes.Distinct(StringComparer.Ordinal))
        {
            context.Error.WriteLine(DiagnosticText.PlainWarning(note));
        }

        if (plan.Problems.Count > 0)
        {
            foreach (var problem in plan.Problems.Distinct(StringComparer.Ordinal))
            {
                context.Error.WriteLine(DiagnosticText.PlainError(problem));
            }

            context.Error.WriteLine($"coldmod: refused; no file was changed.");
            return ExitCodes.Failure;
        }

        if (options.DryRun)
        {
            foreach (var file in plan.Files)
            {
                context.Out.Write(UnifiedDiff.Format(file.ShownPath, file.Before, file.After));
            }

            WriteSummary(context.Error, plan, options, dryRun: true);
            return ExitCodes.Success;
        }

        AtomicFileWriter.Write([.. plan.Files.Select(f => (f.Path, f.Content))], context.WritingFile);
        WriteSummary(context.Out, plan, options, dryRun: false);
        return ExitCodes.Success;
    }

    private static void WriteSummary(TextWriter output, RemovalPlan plan, RemoveOptions options, bool dryRun)
    {
        var verb = dryRun ? "would remove" : "removed";
        foreach (var member in plan.Removed)
        {
            output.WriteLine($"{verb} {member.Keys}  {member.Location} ({Plural.Count(member.Lines, "line")})");
        }

        foreach (var file in plan.Files.Where(f => f.Markers > 0))
        {
            output.WriteLine($"{(dryRun ? "would mark" : "marked")} {Plural.Count(file.Markers, "reference")} in {file.ShownPath}");
        }

        var lines = plan.Removed.Sum(m => m.Lines);
        var removedFiles = plan.Removed.Select(m => m.Location[..m.Location.LastIndexOf(':')]).Distinct(StringComparer.Ordinal).Count();
        var markers = plan.Files.Sum(f => f.Markers);
        var markedFiles = plan.Files.Count(f => f.Markers > 0);
        output.WriteLine(
            $"{verb} {Plural.Count(plan.Removed.Count, "member")} ({Plural.Count(lines, "line")}) from {Plural.Count(removedFiles, "file")}; " +
            $"{(dryRun ? "would mark" : "marked")} {Plural.Count(markers, "reference")} in {Plural.Count(markedFiles, "file")}{(dryRun ? " (dry run: no file was changed)" : "")}");
        var configuration = options.Configuration ?? "Release";
        output.WriteLine(markers > 0
            ? $"next: build (dotnet build -c {configuration}), fix each '// TODO: ... was removed by coldmod.' the errors point at, then run the tests."
            : $"next: build (dotnet build -c {configuration}), then run the tests.");
    }
}
