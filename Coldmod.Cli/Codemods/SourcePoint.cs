namespace Coldmod.Cli.Codemods;

// A sequence point's place in source: one-based lines and columns, as the PDB records them.
internal sealed record SourcePoint(BuiltDocument Document, int StartLine, int StartColumn, int EndLine, int EndColumn);
