using CommandLine;

namespace Coldmod.Cli.Options;

[Verb("ignore", HelpText = "Add keys to [ignore] keys in coldmod.rootmarker, keeping its comments and layout.")]
internal sealed class IgnoreOptions : BuildOptions
{
    internal static IReadOnlyList<string> Details { get; } =
    [
        "Usage: coldmod ignore KEY... [-c NAME | -a PATH...] [--source-root MAPPED=LOCAL...] [-v]",
        "",
        "Adds each KEY (as 'coldmod srcs' lists it) to the keys array of the [ignore] table of coldmod.rootmarker,",
        "creating the table or the array when absent. The rest of the file is left exactly as it was: comments,",
        "blank lines, and the array's layout (one line, or one key per line with its indentation and trailing comma).",
        "A key already listed is not added twice. A key that no local build has is added with a warning (when",
        "there is a local build to check against). Added keys are printed on stdout, one per line.",
        "Exit codes: 0 done; 1 no or a malformed coldmod.rootmarker; 2 a bad command line.",
    ];

    [Value(0, MetaName = "KEY", Min = 1, HelpText = "The keys to ignore.")]
    public IEnumerable<string> Keys { get; set; } = [];
}
