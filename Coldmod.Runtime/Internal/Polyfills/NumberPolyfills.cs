namespace Coldmod.Runtime.Internal.Polyfills;

// netstandard2.0 only: the Math, double and Convert members of .NET Core 2.0+ (5+ for ToHexString).
internal static class NumberPolyfills
{
    extension(Math)
    {
        public static long Clamp(long value, long min, long max) => value < min ? min : value > max ? max : value;
    }

    extension(double)
    {
        public static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);
    }

    extension(Convert)
    {
        // Upper-case, as .NET's.
        public static string ToHexString(byte[] bytes, int offset, int length)
        {
            const string Digits = "0123456789ABCDEF";
            var chars = new char[length * 2];
            for (var i = 0; i < length; i++)
            {
                var b = bytes[offset + i];
                chars[2 * i] = Digits[b >> 4];
                chars[(2 * i) + 1] = Digits[b & 0xF];
            }

            return new string(chars);
        }
    }

    extension(ArgumentNullException)
    {
        public static void ThrowIfNull(object? argument, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(argument))] string? paramName = null)
        {
            if (argument is null)
            {
                throw new ArgumentNullException(paramName);
            }
        }
    }
}
