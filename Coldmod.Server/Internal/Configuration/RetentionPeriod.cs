using System.Globalization;

namespace Coldmod.Server.Internal.Configuration;

// COLDMOD_VERSION_RETENTION: a whole number with a unit, d, h, m or s ("14d", "36h").
internal static class RetentionPeriod
{
    public static bool TryParse(string text, out TimeSpan period, out string? problem)
    {
        period = default;
        problem = null;
        var value = text.Trim();
        if (value.Length < 2)
        {
            problem = $"'{text}' is not a duration; write a number and a unit, like 14d, 36h, 90m or 30s";
            return false;
        }

        Func<double, TimeSpan>? unit = char.ToLowerInvariant(value[^1]) switch
        {
            'd' => TimeSpan.FromDays,
            'h' => TimeSpan.FromHours,
            'm' => TimeSpan.FromMinutes,
            's' => TimeSpan.FromSeconds,
            _ => null,
        };
        if (unit is null || !long.TryParse(value[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || amount <= 0 || amount > 100_000)
        {
            problem = $"'{text}' is not a duration; write a positive whole number and a unit, like 14d, 36h, 90m or 30s";
            return false;
        }

        period = unit(amount);
        return true;
    }
}
