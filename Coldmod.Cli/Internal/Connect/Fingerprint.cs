namespace Coldmod.Cli.Internal.Connect;

// The size and write time of each file the inventory was read from: when it changes, the build or its sources did.
internal sealed class Fingerprint : IEquatable<Fingerprint>
{
    private readonly (string Path, long Length, long Ticks)[] _files;

    private Fingerprint((string, long, long)[] files) => _files = files;

    public static Fingerprint Of(IEnumerable<string> paths) => new([.. paths.Select(Stat)]);

    public bool Equals(Fingerprint? other) => other is not null && _files.AsSpan().SequenceEqual(other._files);

    public override bool Equals(object? obj) => Equals(obj as Fingerprint);

    public override int GetHashCode() => _files.Length;

    private static (string, long, long) Stat(string path)
    {
        var file = new FileInfo(path);
        return file.Exists ? (path, file.Length, file.LastWriteTimeUtc.Ticks) : (path, -1, 0);
    }
}
