using CommandLine;

namespace Coldmod.Cli.Options;

[Verb("srcs", HelpText = "List the trace srcs (key and file:line) read from the built assemblies, grouped by file.")]
internal sealed class SrcsOptions : BuildOptions
{
    internal static IReadOnlyList<string> Details { get; } =
    [
        "Usage: coldmod srcs [-c NAME | -a PATH...] [--source-root MAPPED=LOCAL...] [-v]",
        "",
        "Lists the methods Coldmod traces, read from the built assemblies and their portable PDBs (no code is run).",
        "By default it reads every bin/Release/**/*.dll below the root, never obj/, node_modules/ or hidden",
        "directories. An assembly copied to several folders is read once; assemblies without a portable PDB, or",
        "whose sources are not under the root (dependencies), are skipped. Build first: dotnet build -c Release.",
        "",
        "Output (stdout), one block per source file; files sorted ordinally, srcs by line, then key:",
        "src/Shop/Orders.cs",
        "  Shop.Orders.OrderService.#ctor  src/Shop/Orders.cs:12",
        "  Shop.Orders.OrderService.Cancel(System.Int32)  src/Shop/Orders.cs:20",
        "A file line is a path relative to the root; each src line is two spaces, the key (the method's",
        "documentation comment ID without 'M:'), two spaces, and file:line (the method's first line of code).",
        "A src found identically in several assemblies (multi-targeted builds) is listed once.",
        "Warnings ('file(line): warning CODE: message') and a summary line go to stderr.",
    ];
}
