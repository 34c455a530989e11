namespace Coldmod.Weaver;

/// <summary>The C# source files Coldmod traces under a root.</summary>
public static class SourceFiles
{
    /// <summary>
    /// The <c>*.cs</c> files under the root, relative to it with <c>/</c> separators, sorted ordinally,
    /// without files matching <c>[ignore] files</c> and without anything under <c>bin/</c>, <c>obj/</c> or hidden directories.
    /// </summary>
    public static IReadOnlyList<string> Enumerate(RootMarker root)
    {
        var found = new List<string>();
        Walk(new DirectoryInfo(root.RootDirectory), root, found);
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>True when a directory name is build output or tooling state, never source.</summary>
    public static bool IsExcludedDirectory(string name) =>
        name is "bin" or "obj" or "node_modules" || name.StartsWith('.');

    private static void Walk(DirectoryInfo directory, RootMarker root, List<string> found)
    {
        foreach (var file in directory.EnumerateFiles("*.cs"))
        {
            var relative = root.ToRelativePath(file.FullName);
            if (relative is not null && !root.IsIgnoredFile(relative))
            {
                found.Add(relative);
            }
        }

        foreach (var child in directory.EnumerateDirectories())
        {
            if (!IsExcludedDirectory(child.Name) && !child.Attributes.HasFlag(FileAttributes.ReparsePoint))
            {
                Walk(child, root, found);
            }
        }
    }
}
