namespace Coldmod.Server.Internal.Configuration;

// COLDMOD_STORE: a SQLite file as a plain path or sqlite:///absolute/path (sqlite://relative/path), or Redis as
// redis://[user:password@]host:port[/db] (rediss:// for TLS); RedisLocation parses those.
internal static class StoreLocation
{
    private const string SqliteScheme = "sqlite://";
    private const string RedisScheme = "redis://";
    private const string RedissScheme = "rediss://";

    public static string Parse(string value) =>
        TryParse(value, out var path, out var problem) ? path : throw new FormatException(problem);

    public static bool IsRedis(string value) =>
        value.StartsWith(RedisScheme, StringComparison.OrdinalIgnoreCase) || value.StartsWith(RedissScheme, StringComparison.OrdinalIgnoreCase);

    // A Redis URL gives an empty path when it is valid.
    public static bool TryParse(string value, out string path, out string problem)
    {
        path = "";
        if (IsRedis(value))
        {
            return RedisLocation.TryParse(value, null, null, out _, out problem);
        }

        var file = value;
        if (value.StartsWith(SqliteScheme, StringComparison.OrdinalIgnoreCase))
        {
            file = value[SqliteScheme.Length..];
        }
        else if (value.Contains("://", StringComparison.Ordinal))
        {
            problem = $"'{value[..value.IndexOf("://", StringComparison.Ordinal)]}://' is not a known store; use a SQLite file (a path, or sqlite:///absolute/path) or redis://host:port[/db]";
            return false;
        }

        if (file.Length == 0)
        {
            problem = "it names no file; use a path, or sqlite:///absolute/path";
            return false;
        }

        try
        {
            path = Path.GetFullPath(file);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            problem = $"'{file}' is not a valid path ({e.Message})";
            return false;
        }

        if (Directory.Exists(path))
        {
            problem = $"'{path}' is a directory; name a file in it, for example {Path.Combine(path, ServerOptions.DefaultStore)}";
            return false;
        }

        var directory = Path.GetDirectoryName(path);
        if (directory is not null && !Directory.Exists(directory))
        {
            problem = $"the directory '{directory}' does not exist; create it or choose another path";
            return false;
        }

        problem = "";
        return true;
    }
}
