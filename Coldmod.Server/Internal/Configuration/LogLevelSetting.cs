namespace Coldmod.Server.Internal.Configuration;

// COLDMOD_LOG_LEVEL takes the names of LogLevel, in any case; numbers, which Enum.TryParse would also take, are refused
// because nobody means "2" for Information.
internal static class LogLevelSetting
{
    public static string Accepted { get; } = string.Join(", ", Enum.GetNames<LogLevel>().Select(name => name.ToLowerInvariant()));

    public static bool TryParse(string value, out LogLevel level, out string problem)
    {
        foreach (var candidate in Enum.GetValues<LogLevel>())
        {
            if (string.Equals(candidate.ToString(), value, StringComparison.OrdinalIgnoreCase))
            {
                level = candidate;
                problem = "";
                return true;
            }
        }

        level = LogLevel.Information;
        problem = $"'{value}' is not a log level: use one of {Accepted}";
        return false;
    }
}
