using System.Globalization;

namespace Coldmod.Server.Internal.Configuration;

internal static class MessageSize
{
    public const int Minimum = 64 * 1024;
    public const int Maximum = 256 * 1024 * 1024;

    public static bool TryParse(string value, out int bytes, out string problem)
    {
        if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out bytes) && bytes is >= Minimum and <= Maximum)
        {
            problem = "";
            return true;
        }

        problem = $"'{value}' is not a number of bytes between {Minimum} and {Maximum}";
        return false;
    }
}
