using Coldmod.Weaver;

namespace Coldmod.Cli.Internal;

internal static class SourceRootArguments
{
    // Not SourceRootMap.Parse: it resolves a relative LOCAL against the process's current directory, and the
    // command's working directory is the one the user meant. Commas separate pairs, as in the compiler's -pathmap.
    public static SourceRootMap Parse(IEnumerable<string> values, string workingDirectory)
    {
        var roots = new List<(string, string)>();
        foreach (var pair in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0 || split == pair.Length - 1)
            {
                throw new UsageException($"--source-root '{pair}' must look like MAPPED=LOCAL, e.g. /_/=. for a build whose PDB paths start with /_/.");
            }

            roots.Add((pair[..split], Path.GetFullPath(pair[(split + 1)..], workingDirectory)));
        }

        return new SourceRootMap(roots);
    }
}
