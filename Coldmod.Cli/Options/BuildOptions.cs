using CommandLine;

namespace Coldmod.Cli.Options;

// The options of the verbs that read srcs from the local builds, as LocalBuilds reads them.
internal abstract class BuildOptions
{
    [Option('c', "configuration", SetName = "search", MetaValue = "NAME",
        HelpText = "Read the builds in bin/NAME/ below the root instead of bin/Release/.")]
    public string? Configuration { get; set; }

    [Option('a', "assembly", SetName = "explicit", MetaValue = "PATH",
        HelpText = "Read this assembly (with its PDB beside it or embedded) instead of searching bin/; repeatable.")]
    public IEnumerable<string> Assemblies { get; set; } = [];

    [Option("source-root", MetaValue = "MAPPED=LOCAL",
        HelpText = "Map the PDB document paths of a deterministic (CI) build back to this disk, e.g. /_/=. ; a relative LOCAL is resolved against the root directory (where coldmod.rootmarker is), not the current one; repeatable. Without it, a /_/ prefix is guessed.")]
    public IEnumerable<string> SourceRoots { get; set; } = [];

    [Option("no-cache", HelpText = "Scan every assembly now, neither reading nor writing .coldmod-cache/.")]
    public bool NoCache { get; set; }

    [Option('v', "verbose", HelpText = "Tell on stderr which assemblies were read, and why the others were skipped.")]
    public bool Verbose { get; set; }
}
