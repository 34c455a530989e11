using CommandLine;

namespace Coldmod.Cli.Options;

[Verb("files", HelpText = "List the traced source files, one path relative to the root per line.")]
internal sealed class FilesOptions
{
    internal static IReadOnlyList<string> Details { get; } =
    [
        "Usage: coldmod files",
        "",
        "Lists the C# files under the directory of coldmod.rootmarker whose methods Coldmod traces, one path per",
        "line, relative to the root with '/' separators, sorted ordinally. Left out: anything under bin/, obj/,",
        "node_modules/ or a hidden directory, and files matching an [ignore] files glob of the rootmarker.",
        "This reads the sources only; no build is needed.",
    ];
}
