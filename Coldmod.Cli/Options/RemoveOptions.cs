using CommandLine;

namespace Coldmod.Cli.Options;

[Verb("rm", HelpText = "Delete methods from the sources, and put a TODO comment wherever the build used them.")]
internal sealed class RemoveOptions : BuildOptions
{
    internal static IReadOnlyList<string> Details { get; } =
    [
        "Usage: coldmod rm KEY... [--dry-run] [--force] [-c NAME | -a PATH...] [--source-root MAPPED=LOCAL...] [-v]",
        "",
        "Deletes each method KEY names (as 'coldmod srcs' lists it) from its source file, with its attributes, its",
        "documentation comment, the comments right above it and the blank line it leaves; every other byte of the",
        "file stays as it was (line endings, encoding, byte order mark). Methods, constructors, finalizers, operators,",
        "generic, async and iterator methods, explicit interface implementations, and property, indexer and event",
        "accessors: an accessor goes alone, and the whole property goes when all its accessors do (an event's two",
        "accessors go together). Lambdas and local functions inside a removed method go with it.",
        "",
        "Every use of a removed method in the IL of the assemblies built under the root (calls, 'new', delegates and",
        "method groups) is mapped to its source line through the PDB, and the statement there gets, once, the line",
        "  // TODO: KEY was removed by coldmod.",
        "above it, indented like it, so the build's errors lead to comments that say what happened.",
        "",
        "It reads the local builds as 'coldmod srcs' does (build first: dotnet build -c Release), and refuses, changing",
        "no file, when a key is not a src of them, a source file changed since the build (its checksum differs from the",
        "PDB's), a declaration cannot be located exactly or straddles an #if or #region, or a file cannot be written.",
        "Overrides, interface implementations, virtual methods and methods an attribute names by string are refused",
        "unless --force. Lambdas and local functions (keys with '=>') cannot be removed on their own. Files are",
        "written all or nothing.",
        "",
        "Prints what it removed and marked, and the next step: build, fix what the TODO comments mark, run the tests.",
        "Exit codes: 0 done; 1 refused (the reasons are printed; no file was changed), no build; 2 a bad command line.",
    ];

    [Value(0, MetaName = "KEY", Min = 1, HelpText = "The keys of the methods to remove.")]
    public IEnumerable<string> Keys { get; set; } = [];

    [Option("dry-run", HelpText = "Print the edits as a unified diff and change nothing.")]
    public bool DryRun { get; set; }

    [Option("force", HelpText = "Also remove overrides, interface implementations, virtual methods and methods attributes name by string.")]
    public bool Force { get; set; }
}
