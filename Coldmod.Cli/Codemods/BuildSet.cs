using Coldmod.Weaver;

namespace Coldmod.Cli.Codemods;

// The assemblies the checkout builds, each opened once for every question the codemod asks of it.
internal sealed class BuildSet(RootMarker root, SourceRootMap sourceRoots, IEnumerable<string> assemblyPaths) : IDisposable
{
    private readonly Dictionary<string, BuiltAssembly> _open = new(StringComparer.Ordinal);

    public IReadOnlyList<string> Paths { get; } = [.. assemblyPaths];

    public IEnumerable<BuiltAssembly> All => Paths.Select(Get);

    public BuiltAssembly Get(string path)
    {
        if (!_open.TryGetValue(path, out var assembly))
        {
            assembly = BuiltAssembly.Open(path, root, sourceRoots);
            _open[path] = assembly;
        }

        return assembly;
    }

    public void Dispose()
    {
        foreach (var assembly in _open.Values)
        {
            assembly.Dispose();
        }
    }
}
