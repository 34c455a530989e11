using Coldmod.Weaver;

namespace Coldmod.Cli.Internal;

// What the local builds hold: every src once, sorted by file, line and key, as "coldmod srcs" lists them.
internal sealed record LocalSrcs(RootMarker Root, SourceRootMap SourceRoots, IReadOnlyList<SrcScan> Scans, IReadOnlyList<TraceSrc> Srcs)
{
    public IEnumerable<string> Warnings =>
        Scans.SelectMany(s => s.Warnings).Select(DiagnosticText.Warning).Distinct(StringComparer.Ordinal);
}
