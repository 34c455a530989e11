namespace Coldmod.Cli.Internal;

internal static class Plural
{
    public static string Count(int count, string one, string? many = null) =>
        count == 1 ? $"1 {one}" : $"{count} {many ?? one + "s"}";
}
