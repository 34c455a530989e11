using Coldmod.Weaver.Internal;

namespace Coldmod.Weaver;

/// <summary>
/// Finds the built assemblies of the projects under a root, so commands can read srcs from what
/// <c>dotnet build</c> left in <c>bin/</c> without being told where each project's output is.
/// </summary>
public static class BuildOutputs
{
    // A directory the user cannot read (another user's build, a broken mount) is not worth failing the search for.
    private static readonly EnumerationOptions s_directories = new() { IgnoreInaccessible = true, AttributesToSkip = 0 };
    private static readonly EnumerationOptions s_assemblies = new() { IgnoreInaccessible = true, MatchCasing = MatchCasing.CaseInsensitive };

    /// <summary>
    /// Every <c>*.dll</c> in a <c>bin/<paramref name="configuration"/>/</c> directory (and below it) under the root,
    /// full paths sorted ordinally. Nothing under <c>obj/</c>, <c>node_modules/</c> or hidden directories is looked at:
    /// <c>obj/</c> holds intermediate (unwoven) copies. The configuration name matches case-insensitively,
    /// because <c>dotnet build -c release</c> writes <c>bin/release/</c>.
    /// </summary>
    public static IReadOnlyList<string> Find(RootMarker root, string configuration)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);

        var found = new List<string>();
        FindInProjects(new DirectoryInfo(root.RootDirectory), configuration, found);
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>
    /// The assemblies worth scanning among <see cref="Find"/>'s candidates: .NET assemblies with a portable PDB
    /// (beside them or embedded), one per module (see <see cref="Distinct"/>). Each file left out is passed to
    /// <paramref name="skipped"/> with the reason, for a verbose caller to show.
    /// </summary>
    public static IReadOnlyList<string> FindScannable(RootMarker root, string configuration, Action<string, string>? skipped = null)
    {
        var scannable = new List<BuildOutputIdentity>();
        foreach (var path in Find(root, configuration))
        {
            var identity = BuildOutputIdentity.TryRead(path, out var problem);
            if (identity is null)
            {
                skipped?.Invoke(path, problem!);
            }
            else if (!identity.HasPortablePdb)
            {
                skipped?.Invoke(path, "no portable PDB beside it or embedded, so its methods cannot be mapped to source");
            }
            else
            {
                scannable.Add(identity);
            }
        }

        return KeepOnePerModule(scannable, [], skipped);
    }

    /// <summary>
    /// One path per module: copies of one compilation (the same MVID, as in <c>bin/Release/net10.0/</c> and its
    /// <c>publish/</c> folder, or a project reference copied into another project's output) are read once.
    /// The copy with a portable PDB wins, then the one nearest the root of the path, then the ordinally first.
    /// Files whose MVID cannot be read are kept, so the scanner can say what is wrong with them.
    /// Returns full paths sorted ordinally.
    /// </summary>
    public static IReadOnlyList<string> Distinct(IEnumerable<string> assemblyPaths, Action<string, string>? skipped = null)
    {
        ArgumentNullException.ThrowIfNull(assemblyPaths);

        var identities = new List<BuildOutputIdentity>();
        var unreadable = new List<string>();
        foreach (var path in assemblyPaths.Select(Path.GetFullPath).Distinct(StringComparer.Ordinal))
        {
            var identity = BuildOutputIdentity.TryRead(path, out _);
            if (identity is null)
            {
                unreadable.Add(path);
            }
            else
            {
                identities.Add(identity);
            }
        }

        return KeepOnePerModule(identities, unreadable, skipped);
    }

    private static List<string> KeepOnePerModule(List<BuildOutputIdentity> identities, List<string> alsoKept, Action<string, string>? skipped)
    {
        var kept = new List<string>(alsoKept);
        foreach (var copies in identities.GroupBy(i => i.Mvid))
        {
            var ordered = copies
                .OrderByDescending(c => c.HasPortablePdb)
                .ThenBy(c => SegmentCount(c.AssemblyPath))
                .ThenBy(c => c.AssemblyPath, StringComparer.Ordinal)
                .ToList();
            kept.Add(ordered[0].AssemblyPath);
            foreach (var copy in ordered.Skip(1))
            {
                skipped?.Invoke(copy.AssemblyPath, $"a copy of {ordered[0].AssemblyPath} (same module version id {copies.Key})");
            }
        }

        kept.Sort(StringComparer.Ordinal);
        return kept;
    }

    private static int SegmentCount(string path) => path.Count(c => c is '/' or '\\');

    private static void FindInProjects(DirectoryInfo directory, string configuration, List<string> found)
    {
        foreach (var child in directory.EnumerateDirectories("*", s_directories))
        {
            if (child.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                continue;
            }

            if (child.Name == "bin")
            {
                // A bin/ holds outputs, not projects: only its configuration folder is read, and nothing below is a project.
                foreach (var output in child.EnumerateDirectories("*", s_directories))
                {
                    if (string.Equals(output.Name, configuration, StringComparison.OrdinalIgnoreCase) &&
                        !output.Attributes.HasFlag(FileAttributes.ReparsePoint))
                    {
                        CollectAssemblies(output, found);
                    }
                }
            }
            else if (!SourceFiles.IsExcludedDirectory(child.Name))
            {
                FindInProjects(child, configuration, found);
            }
        }
    }

    private static void CollectAssemblies(DirectoryInfo output, List<string> found)
    {
        var dlls = output.EnumerateFiles("*.dll", s_assemblies);
        found.AddRange(dlls.Select(f => f.FullName));

        // Symbolic links are not followed, so a link back up the tree cannot make the walk endless.
        foreach (var child in output.EnumerateDirectories("*", s_directories))
        {
            if (!child.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                CollectAssemblies(child, found);
            }
        }
    }
}
