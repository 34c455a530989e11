namespace Coldmod.Weaver;

/// <summary>
/// Maps the document paths a deterministic build writes into its PDB (for example <c>/_/src/Shop/Orders.cs</c>,
/// from <c>PathMap</c> or <c>@(SourceRoot)</c>) back to paths on this disk.
/// </summary>
public sealed class SourceRootMap
{
    private readonly List<(string Mapped, string Local)> _roots;

    /// <summary>Creates a map from (mapped prefix, local directory) pairs, such as MSBuild's <c>@(SourceRoot)</c> items with their <c>MappedPath</c>.</summary>
    public SourceRootMap(IEnumerable<(string MappedPath, string LocalPath)> roots)
    {
        _roots = roots
            .Where(r => !string.IsNullOrEmpty(r.MappedPath) && !string.IsNullOrEmpty(r.LocalPath))
            .Select(r => (WithSlash(r.MappedPath), WithSlash(Path.GetFullPath(r.LocalPath))))
            .OrderByDescending(r => r.Item1.Length)
            .ToList();
    }

    /// <summary>A map that maps nothing.</summary>
    public static SourceRootMap None { get; } = new([]);

    /// <summary>The (mapped, local) pairs, longest mapped prefix first.</summary>
    public IReadOnlyList<(string Mapped, string Local)> Roots => _roots;

    /// <summary>
    /// Parses <c>MAPPED=LOCAL</c> pairs, as in the compiler's <c>-pathmap</c> (separated by commas or given one by one).
    /// </summary>
    public static SourceRootMap Parse(IEnumerable<string> pairs)
    {
        var roots = new List<(string, string)>();
        foreach (var pair in pairs.SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries)))
        {
            var split = pair.IndexOf('=', StringComparison.Ordinal);
            if (split <= 0 || split == pair.Length - 1)
            {
                throw new ColdmodException(DiagnosticCodes.RootMarkerMalformed, $"Source root mapping '{pair}' must look like MAPPED=LOCAL, e.g. /_/=/home/me/shop.");
            }

            // The compiler's -pathmap is written LOCAL=MAPPED; ours reads in the direction we map (MAPPED=LOCAL).
            roots.Add((pair[..split], pair[(split + 1)..]));
        }

        return new SourceRootMap(roots);
    }

    /// <summary>The local path of a PDB document path; unmapped paths are returned as they are.</summary>
    public string Map(string documentPath)
    {
        var normalized = documentPath.Replace('\\', '/');
        foreach (var (mapped, local) in _roots)
        {
            var mappedSlash = mapped.Replace('\\', '/');
            if (normalized.StartsWith(mappedSlash, StringComparison.Ordinal))
            {
                return Path.Combine(local, normalized[mappedSlash.Length..]);
            }
        }

        return documentPath;
    }

    /// <summary>True when the document path starts with a mapped prefix such as <c>/_/</c> that this map does not cover.</summary>
    public static bool LooksMapped(string documentPath) =>
        documentPath.StartsWith("/_/", StringComparison.Ordinal) ||
        (documentPath.StartsWith("/_", StringComparison.Ordinal) && documentPath.IndexOf('/', 2) is > 2 and var end &&
         documentPath[2..end].All(char.IsAsciiDigit));

    private static string WithSlash(string path) =>
        path.EndsWith('/') || path.EndsWith('\\') ? path : path + "/";
}
