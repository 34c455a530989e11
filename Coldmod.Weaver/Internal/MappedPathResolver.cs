namespace Coldmod.Weaver.Internal;

/// <summary>
/// Turns PDB document paths into local paths: through the given source-root map first; for
/// deterministic paths it does not cover (<c>/_/…</c>), by finding the directory at or above the root
/// under which the rest of the path exists, so <c>coldmod srcs</c> reads CI builds without flags.
/// </summary>
internal sealed class MappedPathResolver(RootMarker root, SourceRootMap map)
{
    private readonly Dictionary<string, string?> _guessedPrefixes = new(StringComparer.Ordinal);

    public List<ScanWarning> Warnings { get; } = [];

    public string? ToLocal(string documentPath)
    {
        var mapped = map.Map(documentPath);
        if (!ReferenceEquals(mapped, documentPath) || !SourceRootMap.LooksMapped(documentPath))
        {
            return mapped;
        }

        var prefixEnd = documentPath.IndexOf('/', 1) + 1;
        var prefix = documentPath[..prefixEnd];
        var rest = documentPath[prefixEnd..];
        if (!_guessedPrefixes.TryGetValue(prefix, out var local))
        {
            local = Guess(rest);
            _guessedPrefixes[prefix] = local;
            if (local is null)
            {
                Warnings.Add(new ScanWarning(
                    DiagnosticCodes.AssemblyUnreadable,
                    $"Document paths start with the deterministic prefix '{prefix}', which no source root maps; give the mapping (e.g. {prefix}={root.RootDirectory}) to read them."));
            }
        }

        return local is null ? null : Path.Combine(local, rest);
    }

    private string? Guess(string rest)
    {
        for (var dir = new DirectoryInfo(root.RootDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, rest)))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
