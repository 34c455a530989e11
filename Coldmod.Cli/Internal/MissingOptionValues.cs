using System.Reflection;
using CommandLine;

namespace Coldmod.Cli.Internal;

// CommandLineParser 2.9 takes "srcs -c" (a valued option with nothing after it) as if the option were absent
// (commandlineparser/commandline#861), and "-c -v" likewise, so "coldmod srcs -c" would quietly read Release.
internal static class MissingOptionValues
{
    public static string? FindFirst(IReadOnlyList<string> args, Type optionsType)
    {
        var valued = optionsType.GetProperties()
            .Where(p => p.PropertyType != typeof(bool))
            .Select(p => p.GetCustomAttribute<OptionAttribute>())
            .OfType<OptionAttribute>()
            .SelectMany(Names)
            .ToHashSet(StringComparer.Ordinal);

        for (var i = 0; i < args.Count && args[i] != "--"; i++)
        {
            if (valued.Contains(args[i]) && (i == args.Count - 1 || LooksLikeOption(args[i + 1])))
            {
                return args[i];
            }
        }

        return null;
    }

    private static IEnumerable<string> Names(OptionAttribute option)
    {
        if (option.ShortName.Length > 0)
        {
            yield return "-" + option.ShortName;
        }

        if (option.LongName.Length > 0)
        {
            yield return "--" + option.LongName;
        }
    }

    private static bool LooksLikeOption(string arg) => arg.Length > 1 && arg[0] == '-';
}
