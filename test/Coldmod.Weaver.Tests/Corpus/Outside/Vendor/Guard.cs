using System;

namespace Vendor.Checks;

/// <summary>
/// A file linked into the project from outside the root (a vendored helper): compiled into the
/// same assembly, but not traced.
/// </summary>
public static class Guard
{
    public static T NotNull<T>(T? value, string name)
        where T : class =>
        value ?? throw new ArgumentNullException(name);

    public static int Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "Must be positive.");
        }

        return value;
    }
}

public sealed class Clock
{
    private readonly Func<DateTimeOffset> _now = () => DateTimeOffset.UtcNow;

    public DateTimeOffset Now => _now();
}
