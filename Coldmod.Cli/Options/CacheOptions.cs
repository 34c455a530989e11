using CommandLine;

namespace Coldmod.Cli.Options;

[Verb("cache", HelpText = "Fill (warm) or delete (clear) .coldmod-cache/, the srcs read from the builds, kept beside the rootmarker.")]
internal sealed class CacheOptions : BuildOptions
{
    public const string Warm = "warm";
    public const string Clear = "clear";

    internal static IReadOnlyList<string> Details { get; } =
    [
        "Usage: coldmod cache warm [-c NAME | -a PATH...] [--source-root MAPPED=LOCAL...] [-v]",
        "       coldmod cache clear",
        "",
        "'srcs', 'fetch' and 'ignore' keep what they read from each built assembly in .coldmod-cache/ beside",
        "coldmod.rootmarker, and read an unchanged assembly from there instead of scanning it again. An entry is",
        "keyed by a SHA-256 of the assembly and its PDB, the [ignore] files and keys, and the --source-root",
        "mapping, so a rebuild or an edited rootmarker is never answered from a stale entry; a damaged entry is",
        "scanned again and rewritten. --no-cache on those verbs scans without the cache.",
        "warm   reads every build as 'coldmod srcs' does (same options) and prints",
        "       'cached 3 assemblies (13 srcs) in .coldmod-cache/'.",
        "clear  deletes .coldmod-cache/ and prints what was removed; having no cache is not an error.",
        "Exit codes: 0 done; 1 no or a malformed coldmod.rootmarker, no build (warm); 2 a bad command line or an",
        "action other than warm or clear.",
    ];

    [Value(0, MetaName = "action", Required = true, HelpText = "warm (scan the builds into the cache) or clear (delete the cache).")]
    public string Action { get; set; } = "";
}
