using System.Collections.Immutable;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Coldmod.Weaver.Internal;

namespace Coldmod.Weaver;

/// <summary>
/// The scans of built assemblies, kept in <c>.coldmod-cache/</c> beside the rootmarker so that reading an unchanged
/// build again costs a hash instead of a scan. An entry is keyed by what the scan depends on: the assembly and PDB
/// bytes, the assembly's path, the root, the marker's ignore configuration, the source-root mapping and the cache
/// format, so a rebuilt assembly or an edited marker never gets a stale answer.
/// </summary>
public sealed class SrcsCache
{
    /// <summary>The cache folder's name, in the directory of the rootmarker.</summary>
    public const string DirectoryName = ".coldmod-cache";

    // Bump when SrcScanner's output or the entry layout changes: old entries then simply stop matching.
    private const int FormatVersion = 2;

    // Strict reading turns an entry with a missing or null field into a JsonException, handled as any damaged entry.
    private static readonly JsonSerializerOptions s_json = new()
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    private readonly RootMarker _root;
    private readonly Action<string>? _scanned;
    private int _scanCount;
    private int _hitCount;

    private SrcsCache(RootMarker root, Action<string>? scanned)
    {
        _root = root;
        _scanned = scanned;
        DirectoryPath = Path.Combine(root.RootDirectory, DirectoryName);
    }

    /// <summary>The full path of the cache folder.</summary>
    public string DirectoryPath { get; }

    /// <summary>True when the cache folder exists.</summary>
    public bool Exists => Directory.Exists(DirectoryPath);

    /// <summary>How many assemblies this instance really scanned (not served from the cache).</summary>
    internal int ScanCount => _scanCount;

    /// <summary>How many scans this instance served from the cache.</summary>
    internal int HitCount => _hitCount;

    /// <summary>The cache of the checkout under <paramref name="root"/>.</summary>
    /// <param name="root">The rootmarker; the cache lives beside it.</param>
    /// <param name="scanned">Called with the full path of every assembly really scanned (for tests and diagnostics).</param>
    public static SrcsCache For(RootMarker root, Action<string>? scanned = null) => new(root, scanned);

    /// <summary>
    /// The scan of the assembly at <paramref name="assemblyPath"/>: from the cache when an entry for the same bytes and
    /// settings exists, otherwise from <see cref="SrcScanner.Scan"/>, and then stored.
    /// </summary>
    /// <exception cref="ColdmodException">The file is not a readable .NET assembly (as <see cref="SrcScanner.Scan"/>).</exception>
    public SrcScan Scan(string assemblyPath, SourceRootMap sourceRoots)
    {
        var fullPath = Path.GetFullPath(assemblyPath);
        var key = TryComputeKey(fullPath, sourceRoots);
        if (key is not null && TryRead(key) is { } cached)
        {
            _hitCount++;
            return cached;
        }

        _scanCount++;
        _scanned?.Invoke(fullPath);
        var scan = SrcScanner.Scan(fullPath, _root, sourceRoots);

        // A rebuild between hashing and scanning would file the new scan under the old bytes' key; hashing again
        // after the scan catches that, and such a scan is simply not stored.
        if (key is not null && string.Equals(key, TryComputeKey(fullPath, sourceRoots), StringComparison.Ordinal))
        {
            TryWrite(key, scan);
        }

        return scan;
    }

    /// <summary>Deletes the cache folder; returns how many entries it held (0 when there was none).</summary>
    public int Clear()
    {
        if (!Directory.Exists(DirectoryPath))
        {
            return 0;
        }

        var count = Directory.EnumerateFiles(DirectoryPath, "*.json").Count();
        Directory.Delete(DirectoryPath, recursive: true);
        return count;
    }

    private string? TryComputeKey(string assemblyPath, SourceRootMap sourceRoots)
    {
        try
        {
            var image = File.ReadAllBytes(assemblyPath);
            using var peReader = new PEReader(ImmutableArray.Create(image));
            if (!peReader.HasMetadata)
            {
                return null;
            }

            var pdb = PdbLocator.Find(peReader, assemblyPath);
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Append(hash, $"coldmod-srcs-cache/{FormatVersion}");
            Append(hash, _root.RootDirectory);
            Append(hash, assemblyPath);
            Append(hash, image);
            if (pdb.Embedded)
            {
                Append(hash, "pdb:embedded");
            }
            else if (pdb.FilePath is { } pdbPath)
            {
                Append(hash, "pdb:" + pdbPath);
                Append(hash, File.ReadAllBytes(pdbPath));
            }
            else
            {
                Append(hash, "pdb:none");
            }

            AppendList(hash, "ignore.files", _root.IgnoreFiles);
            AppendList(hash, "ignore.keys", _root.IgnoreKeys);
            AppendList(hash, "source-roots", sourceRoots.Roots.SelectMany(r => new[] { r.Mapped, r.Local }).ToList());
            return Convert.ToHexStringLower(hash.GetHashAndReset());
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException)
        {
            // Not cacheable; the scanner reads the file again and reports what is wrong with it.
            return null;
        }
    }

    // Every piece is length-prefixed so that two different configurations never hash the same bytes.
    private static void Append(IncrementalHash hash, ReadOnlySpan<byte> bytes)
    {
        Span<byte> length = stackalloc byte[8];
        BitConverter.TryWriteBytes(length, (long)bytes.Length);
        hash.AppendData(length);
        hash.AppendData(bytes);
    }

    private static void Append(IncrementalHash hash, string text) => Append(hash, Encoding.UTF8.GetBytes(text));

    private static void AppendList(IncrementalHash hash, string name, IReadOnlyList<string> items)
    {
        Append(hash, $"{name}:{items.Count}");
        foreach (var item in items)
        {
            Append(hash, item);
        }
    }

    private string EntryPath(string key) => Path.Combine(DirectoryPath, key + ".json");

    private SrcScan? TryRead(string key)
    {
        var path = EntryPath(key);
        try
        {
            if (!File.Exists(path))
            {
                return null;
            }

            var entry = JsonSerializer.Deserialize<CacheEntry>(File.ReadAllBytes(path), s_json);
            if (entry is null || entry.Version != FormatVersion || !string.Equals(entry.Key, key, StringComparison.Ordinal))
            {
                return null;
            }

            var srcs = entry.Srcs.Select(s => new TraceSrc(s.Key, s.File, s.Line) { MethodToken = s.MethodToken, Label = s.Label }).ToList();
            var warnings = entry.Warnings.Select(w => new ScanWarning(w.Code, w.Message, w.File, w.Line)).ToList();
            return new SrcScan(entry.AssemblyPath, srcs, warnings) { HasDocumentsUnderRoot = entry.HasDocumentsUnderRoot };
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException or NotSupportedException or ArgumentException)
        {
            // A cache is never a reason to fail: a damaged or unreadable entry is scanned again and rewritten.
            return null;
        }
    }

    private void TryWrite(string key, SrcScan scan)
    {
        var entry = new CacheEntry(
            FormatVersion,
            key,
            scan.AssemblyPath,
            scan.HasDocumentsUnderRoot,
            scan.Srcs.Select(s => new CachedSrc(s.Key, s.File, s.Line, s.MethodToken, s.Label)).ToList(),
            scan.Warnings.Select(w => new CachedWarning(w.Code, w.Message, w.File, w.Line)).ToList());
        var temp = Path.Combine(DirectoryPath, $"{key}.{Guid.NewGuid():N}.tmp");
        try
        {
            CreateIgnoredDirectory();
            File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(entry, s_json));

            // A rename is atomic, so a concurrent run reads either no entry or a whole one, never half a file.
            File.Move(temp, EntryPath(key), overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only checkout or a full disk only costs the next run a scan.
            TryDelete(temp);
        }
    }

    // The cache lives in the user's source tree; a .gitignore of "*" inside it (as pytest and mypy write in theirs)
    // keeps it out of `git status` without touching the user's own .gitignore.
    private void CreateIgnoredDirectory()
    {
        Directory.CreateDirectory(DirectoryPath);
        var gitignore = Path.Combine(DirectoryPath, ".gitignore");
        if (!File.Exists(gitignore))
        {
            File.WriteAllText(gitignore, "# Created by coldmod: the scan cache is local to this checkout.\n*\n");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left behind; the next Clear removes it.
        }
    }

    private sealed record CacheEntry(
        int Version,
        string Key,
        string AssemblyPath,
        bool HasDocumentsUnderRoot,
        IReadOnlyList<CachedSrc> Srcs,
        IReadOnlyList<CachedWarning> Warnings);

    private sealed record CachedSrc(string Key, string File, int Line, int MethodToken, string? Label);

    private sealed record CachedWarning(string Code, string Message, string? File, int Line);
}
