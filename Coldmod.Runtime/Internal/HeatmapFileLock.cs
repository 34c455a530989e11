namespace Coldmod.Runtime.Internal;

// The exclusive lock on "<heatmap>.lock", removed again when released so that no empty file stays in the user's
// directory. Removing a lock file is only safe when a process that opened it just before the removal cannot go on
// to lock the removed file while a newcomer locks a fresh one at the same path:
// - on Windows, FileShare.None refuses every other open, so nobody but the holder has the file open; it is
//   deleted when the holder closes it;
// - on Linux, the holder removes the file before unlocking it, and a process that then locks the removed file
//   sees it is removed (its /proc/self/fd link reads "(deleted)") and tries again on the path;
// - elsewhere (or without /proc) there is no such check, so the lock file is left in place, as before.
internal sealed class HeatmapFileLock : IDisposable
{
    private const string DeletedSuffix = " (deleted)";

    private readonly FileStream _stream;
    private readonly string _path;
    private readonly bool _removeOnRelease;

    private HeatmapFileLock(FileStream stream, string path, bool removeOnRelease)
    {
        _stream = stream;
        _path = path;
        _removeOnRelease = removeOnRelease;
    }

    // Null when another process holds the lock, or when this one locked a file the previous holder had just
    // removed (the caller waits and tries again, which then creates and locks a fresh file at the path).
    // Throws IOException when the file cannot be opened for another reason.
    public static HeatmapFileLock? TryAcquire(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            var windowsStream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
            return new HeatmapFileLock(windowsStream, path, removeOnRelease: false);
        }

        var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
        switch (IsRemoved(stream))
        {
            case true:
                stream.Dispose();
                return null;
            case false:
                return new HeatmapFileLock(stream, path, removeOnRelease: true);
            default:
                return new HeatmapFileLock(stream, path, removeOnRelease: false);
        }
    }

    // Whether the open file has been removed from its directory; null where that cannot be told (not Linux, no /proc).
    public static bool? IsRemoved(FileStream stream)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        try
        {
            var descriptor = stream.SafeFileHandle.DangerousGetHandle().ToInt64();
            return new FileInfo($"/proc/self/fd/{descriptor}").LinkTarget is { } target
                ? target.EndsWith(DeletedSuffix, StringComparison.Ordinal)
                : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public void Dispose()
    {
        if (_removeOnRelease)
        {
            // Still holding the lock: whoever opened the file meanwhile sees it removed once it gets the lock.
            try
            {
                File.Delete(_path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left in place, it is only the empty file it always was.
            }
        }

        _stream.Dispose();
    }
}
