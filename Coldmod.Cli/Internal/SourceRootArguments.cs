using Coldmod.Weaver;

namespace Coldmod.Cli.Internal;

// The --source-root MAPPED=LOCAL pairs, checked when the command line is read and resolved once the root is known.
internal sealed class SourceRootArguments
{
    private readonly List<(string Mapped, string Local)> _pairs;

    private SourceRootArguments(List<(string Mapped, string Local)> pairs) => _pairs = pairs;

    // Not SourceRootMap.Parse: that checks nothing a user can fix from the command line, and resolves a relative
    // LOCAL against the process's current directory. Commas separate pairs, as in the compiler's -pathmap.
    public static SourceRootArguments Parse(IEnumerable<string> values)
    {
        var pairs = new List<(string, string)>();
        foreach (var pair in values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0 || split == pair.Length - 1)
            {
                throw new UsageException($"--source-root '{pair}' must look like MAPPED=LOCAL, e.g. /_/=. for a build whose PDB paths start with /_/.");
            }

            pairs.Add((pair[..split], pair[(split + 1)..]));
        }

        return new SourceRootArguments(pairs);
    }

    // A relative LOCAL names a directory of the checkout, so it is resolved against the root directory, not the
    // directory the command runs in: /_/=. means the root from anywhere below it, as `coldmod srcs` itself does.
    public SourceRootMap Resolve(RootMarker root) =>
        new(_pairs.Select(p => (p.Mapped, Path.GetFullPath(p.Local, root.RootDirectory))));
}
