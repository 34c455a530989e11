using System.Globalization;

namespace Coldmod.Runtime.Internal;

// Adds a run's counts to the heatmap file. Several processes may exit at once with the same file (a CI job running
// test assemblies in parallel), so the read-merge-write runs under an exclusive lock; and a crash or a full disk
// mid-write must leave the previous file intact, so the new content goes to a temporary file renamed over it.
//
// The lock is taken on "<path>.lock", never on the heatmap itself: the rename replaces the heatmap's inode, and a
// process that was waiting for a lock on the old one would then merge into content that is already gone. The lock
// file holds nothing and is removed on release where that is safe (HeatmapFileLock says how); the lock dies with
// its process, so a crash cannot leave the heatmap locked, only the empty lock file beside it.
internal static class HeatmapFileStore
{
    public const string LockSuffix = ".lock";

    // Returns the path written: the heatmap file, or the one beside it that keeps this run's counts when the heatmap
    // cannot be added to. Problems that leave the heatmap untouched are reported here; I/O errors are thrown.
    public static string Save(string path, IReadOnlyList<HeatmapFileEntry> entries, int lockAttempts, TimeSpan lockDelay)
    {
        var aside = AsidePath(path);
        using var held = TryLock(path + LockSuffix, lockAttempts, lockDelay);
        if (held is null)
        {
            // A merge takes milliseconds, so the holder has hung; waiting longer would hang this app's exit too.
            Replace(aside, TryRead(aside, out var unlockedAside, out _) ? Merge(unlockedAside, entries) : Sorted(entries));
            RuntimeLog.Report($"{path} stayed locked by another process (through {path}{LockSuffix}); wrote this process's counts to {aside} instead.");
            return aside;
        }

        if (TryRead(path, out var earlier, out var problem))
        {
            Replace(path, Merge(earlier, entries));
            return path;
        }

        // Merged into rather than overwritten: runs that share a malformed heatmap and a process id (in containers
        // every app can be pid 1) add up beside it instead of losing each other's counts.
        if (TryRead(aside, out var earlierAside, out var asideProblem))
        {
            Replace(aside, Merge(earlierAside, entries));
            RuntimeLog.Report($"{path} is not a heatmap this runtime can add to ({problem}); left it as it is and wrote this process's counts to {aside}.");
            return aside;
        }

        throw new InvalidDataException($"it is not a heatmap this runtime can add to ({problem}), and neither is {aside} ({asideProblem}); left both as they are");
    }

    // "heatmap.json" -> "heatmap.json.<pid>.json": next to the file it stands in for, and still a .json file.
    public static string AsidePath(string path) =>
        $"{path}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.json";

    public static List<HeatmapFileEntry> Sorted(IEnumerable<HeatmapFileEntry> entries) =>
    [
        .. entries
            .OrderBy(e => e.File, StringComparer.Ordinal)
            .ThenBy(e => e.Line)
            .ThenBy(e => e.Key, StringComparer.Ordinal),
    ];

    // Counts add up; this run's file and line win, since they come from the build that just ran.
    public static List<HeatmapFileEntry> Merge(IEnumerable<HeatmapFileEntry> earlier, IEnumerable<HeatmapFileEntry> now)
    {
        var merged = new Dictionary<string, HeatmapFileEntry>(StringComparer.Ordinal);
        foreach (var entry in earlier)
        {
            merged[entry.Key] = entry;
        }

        foreach (var entry in now)
        {
            merged[entry.Key] = merged.TryGetValue(entry.Key, out var before)
                ? entry.Plus(before.Count, before.Estimated, before.EstimateError)
                : entry;
        }

        return Sorted(merged.Values);
    }

    // Saturates rather than wraps: a count that wrapped negative would make the whole file unreadable.
    public static long AddCounts(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

    // True with the entries when the file holds a heatmap, or with none when it is absent or empty (a placeholder
    // made by mktemp or touch); false with the problem when it holds anything else.
    private static bool TryRead(string path, out List<HeatmapFileEntry> entries, out string? problem)
    {
        entries = [];
        problem = null;
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (FileNotFoundException)
        {
            return true;
        }

        if (content.All(b => b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
        {
            return true;
        }

        try
        {
            entries = HeatmapFileJson.Read(content);
            return true;
        }
        catch (InvalidDataException e)
        {
            problem = e.Message;
            return false;
        }
    }

    private static HeatmapFileLock? TryLock(string lockPath, int attempts, TimeSpan delay)
    {
        for (var attempt = 0; attempt < attempts; attempt++)
        {
            if (attempt > 0)
            {
                Thread.Sleep(delay);
            }

            try
            {
                if (HeatmapFileLock.TryAcquire(lockPath) is { } held)
                {
                    return held;
                }
            }
            catch (IOException e) when (IsHeldByAnother(e))
            {
            }
        }

        return null;
    }

    // Only contention is worth retrying; a missing directory or a read-only disk fails at once. Windows reports a
    // sharing or lock violation; Unix, where FileShare.None is an flock, passes on the raw EWOULDBLOCK errno.
    private static bool IsHeldByAnother(IOException e)
    {
        if (e.GetType() != typeof(IOException))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return e.HResult is unchecked((int)0x80070020) or unchecked((int)0x80070021);
        }

        var wouldBlock = OperatingSystem.IsLinux() || OperatingSystem.IsAndroid() ? 11 : 35;
        return e.HResult == wouldBlock;
    }

    private static void Replace(string target, List<HeatmapFileEntry> entries)
    {
        var temporary = $"{target}.{Guid.NewGuid():N}.tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                HeatmapFileJson.Write(stream, entries);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, target, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
