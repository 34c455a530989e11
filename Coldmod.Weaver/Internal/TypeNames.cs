using System.Text.RegularExpressions;

namespace Coldmod.Weaver.Internal;

internal static partial class TypeNames
{
    /// <summary>
    /// The name Roslyn uses for a type in IDs: a <c>file</c> type's metadata name
    /// (<c>&lt;Orders&gt;F1A2B…__Helper</c>) is written as its declared name.
    /// </summary>
    public static string SourceName(string metadataName)
    {
        if (metadataName.Length == 0 || metadataName[0] != '<')
        {
            return metadataName;
        }

        var match = FileTypeName().Match(metadataName);
        return match.Success ? match.Groups["name"].Value : metadataName;
    }

    /// <summary>Splits <c>Name`2</c> into (<c>Name</c>, 2); names without an arity suffix have arity 0.</summary>
    public static (string Name, int Arity) SplitArity(string metadataName)
    {
        var tick = metadataName.LastIndexOf('`');
        if (tick > 0 && int.TryParse(metadataName.AsSpan(tick + 1), out var arity))
        {
            return (metadataName[..tick], arity);
        }

        return (metadataName, 0);
    }

    [GeneratedRegex(@"^<[^>]*>F[0-9A-Fa-f]+__(?<name>.+)$", RegexOptions.CultureInvariant)]
    private static partial Regex FileTypeName();
}
