namespace Coldmod.Weaver.Tests.Infrastructure;

/// <summary>A corpus file as laid out on disk.</summary>
/// <param name="DiskPath">Its full path.</param>
/// <param name="RootRelativePath">Its path relative to the root with '/' separators, or null when it is outside the root.</param>
public sealed record CorpusSource(string DiskPath, string? RootRelativePath);
