using Coldmod.Cli.Internal;
using Coldmod.Cli.Options;
using Coldmod.Weaver;

namespace Coldmod.Cli.Commands;

internal sealed class SrcsCommand(CommandContext context) : ICommand<SrcsOptions>
{
    public int Execute(SrcsOptions options)
    {
        var local = LocalBuilds.FromOptions(options, context).Read();
        foreach (var warning in local.Warnings)
        {
            context.Error.WriteLine(warning);
        }

        WriteListing(local.Srcs);
        var fileCount = local.Srcs.Select(s => s.File).Distinct(StringComparer.Ordinal).Count();
        context.Error.WriteLine(
            $"{Plural.Count(local.Srcs.Count, "src")} in {Plural.Count(fileCount, "file")} from {Plural.Count(local.Scans.Count, "assembly", "assemblies")}");
        return ExitCodes.Success;
    }

    private void WriteListing(IReadOnlyList<TraceSrc> srcs)
    {
        string? file = null;
        foreach (var src in srcs)
        {
            if (!string.Equals(src.File, file, StringComparison.Ordinal))
            {
                file = src.File;
                context.Out.WriteLine(file);
            }

            context.Out.WriteLine(src.Label is null ? $"  {src.Key}  {src.Location}" : $"  {src.Label}  {src.Location}  {src.Key}");
        }
    }
}
