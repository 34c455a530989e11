using CommandLine;

namespace Coldmod.Cli.Options;

[Verb("init", HelpText = "Write a coldmod.rootmarker with the usual defaults in the current directory.")]
internal sealed class InitOptions
{
    internal static IReadOnlyList<string> Details { get; } =
    [
        "Usage: coldmod init",
        "",
        "Writes coldmod.rootmarker in the current directory, which becomes the root: only sources under it are",
        "traced. The file ignores what nobody wants to delete by hand (EF Core migrations, designer files,",
        "generated sources, obj/), each line commented so it can be changed. An existing rootmarker is never",
        "overwritten.",
    ];
}
