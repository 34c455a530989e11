using Coldmod.Weaver.Internal;
using Microsoft.Extensions.FileSystemGlobbing;

namespace Coldmod.Weaver;

/// <summary>
/// The parsed <c>coldmod.rootmarker</c>: the root directory of the traced sources and the
/// <c>[ignore]</c> configuration.
/// </summary>
public sealed class RootMarker
{
    /// <summary>The marker's file name.</summary>
    public const string FileName = "coldmod.rootmarker";

    private readonly Matcher _ignoredFiles;

    private RootMarker(string filePath, IReadOnlyList<string> ignoreFiles, IReadOnlyList<string> ignoreKeys)
    {
        FilePath = filePath;
        RootDirectory = Path.GetDirectoryName(filePath)!;
        IgnoreFiles = ignoreFiles;
        IgnoreKeys = ignoreKeys;
        IgnoredKeySet = new HashSet<string>(ignoreKeys, StringComparer.Ordinal);
        _ignoredFiles = new Matcher(StringComparison.Ordinal);
        _ignoredFiles.AddIncludePatterns(ignoreFiles);
    }

    /// <summary>The full path of the marker file.</summary>
    public string FilePath { get; }

    /// <summary>The full path of the directory that holds the marker: the root of the traced sources.</summary>
    public string RootDirectory { get; }

    /// <summary>The <c>[ignore] files</c> globs, relative to the root.</summary>
    public IReadOnlyList<string> IgnoreFiles { get; }

    /// <summary>The <c>[ignore] keys</c>, as written.</summary>
    public IReadOnlyList<string> IgnoreKeys { get; }

    /// <summary>The <c>[ignore] keys</c> as a set.</summary>
    public IReadOnlySet<string> IgnoredKeySet { get; }

    /// <summary>
    /// Walks up from <paramref name="startDirectory"/> to the first directory holding a <c>coldmod.rootmarker</c>
    /// and loads it.
    /// </summary>
    /// <exception cref="ColdmodException">No marker was found, or it is malformed.</exception>
    public static RootMarker Find(string startDirectory)
    {
        var start = Path.GetFullPath(startDirectory);
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, FileName);
            if (File.Exists(candidate))
            {
                return Load(candidate);
            }
        }

        throw new ColdmodException(
            DiagnosticCodes.RootMarkerMissing,
            $"No {FileName} found in {start} or any directory above it. Create an empty {FileName} in the root directory of your application's source (the directory whose sources Coldmod should trace).");
    }

    /// <summary>Loads and validates a marker file.</summary>
    /// <exception cref="ColdmodException">The file cannot be read or is malformed.</exception>
    public static RootMarker Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        string text;
        try
        {
            text = File.ReadAllText(fullPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ColdmodException(DiagnosticCodes.RootMarkerMissing, $"Cannot read {fullPath}: {e.Message}", fullPath, inner: e);
        }

        var config = RootMarkerParser.Parse(text, fullPath);
        return new RootMarker(fullPath, config.IgnoreFiles, config.IgnoreKeys);
    }

    /// <summary>True when <paramref name="relativePath"/> (relative to the root, any separator) matches an <c>[ignore] files</c> glob.</summary>
    public bool IsIgnoredFile(string relativePath) =>
        IgnoreFiles.Count > 0 && _ignoredFiles.Match(relativePath.Replace('\\', '/')).HasMatches;

    /// <summary>
    /// True when a file under the root (relative path, any separator) is traced: not under <c>bin/</c>, <c>obj/</c>
    /// or a hidden directory (build output, such as source-generator output in obj/, is not the user's source)
    /// and not matched by an <c>[ignore] files</c> glob.
    /// </summary>
    public bool IsTracedFile(string relativePath)
    {
        var segments = relativePath.Replace('\\', '/').Split('/');
        return !segments[..^1].Any(SourceFiles.IsExcludedDirectory) && !IsIgnoredFile(relativePath);
    }

    /// <summary>
    /// The path of <paramref name="fullPath"/> relative to the root with <c>/</c> separators,
    /// or null when it is not under the root.
    /// </summary>
    public string? ToRelativePath(string fullPath)
    {
        var relative = Path.GetRelativePath(RootDirectory, Path.GetFullPath(fullPath));
        if (relative == "." || Path.IsPathRooted(relative) || relative == ".." ||
            relative.StartsWith("../", StringComparison.Ordinal) || relative.StartsWith("..\\", StringComparison.Ordinal))
        {
            return null;
        }

        return relative.Replace('\\', '/');
    }
}
