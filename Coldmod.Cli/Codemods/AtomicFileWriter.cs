namespace Coldmod.Cli.Codemods;

// Writes a set of files all or nothing: every new content goes to a temporary file beside its target first; only when
// all are written does each replace its target, and a failure on the way puts back every file already replaced.
internal static class AtomicFileWriter
{
    private const string TemporarySuffix = ".coldmod-new";
    private const string BackupSuffix = ".coldmod-old";

    // beforeWrite is called with each target before it is touched; tests use it to fail a write part of the way.
    // A read-only file is one its owner asked tools to leave alone, even where its directory would let it be replaced.
    public static string? CannotWrite(string path)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    public static void Write(IReadOnlyList<(string Path, byte[] Content)> files, Action<string>? beforeWrite = null)
    {
        var written = new List<(string Path, string Temporary)>();
        var replaced = new List<(string Path, string Backup)>();
        var current = "";
        try
        {
            foreach (var (path, content) in files)
            {
                current = path;
                beforeWrite?.Invoke(path);
                var temporary = path + TemporarySuffix;
                written.Add((path, temporary));
                using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
                {
                    stream.Write(content);
                    stream.Flush(flushToDisk: true);
                }

                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
                }
            }

            foreach (var (path, temporary) in written)
            {
                current = path;
                beforeWrite?.Invoke(path);
                var backup = path + BackupSuffix;
                File.Replace(temporary, path, backup, ignoreMetadataErrors: true);
                replaced.Add((path, backup));
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            foreach (var (path, backup) in replaced)
            {
                File.Move(backup, path, overwrite: true);
            }

            foreach (var (_, temporary) in written)
            {
                File.Delete(temporary);
            }

            throw new IOException($"Could not write {current}: {e.Message} No file was changed.", e);
        }

        foreach (var (_, backup) in replaced)
        {
            File.Delete(backup);
        }
    }
}
