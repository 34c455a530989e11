namespace Coldmod.Weaver.Tests.Infrastructure;

/// <summary>Lines <see cref="First"/> to <see cref="Last"/> (one-based, inclusive) of a file relative to the root.</summary>
public sealed record LineRange(string File, int First, int Last)
{
    public bool Contains(string file, int line) => string.Equals(File, file, StringComparison.Ordinal) && line >= First && line <= Last;

    public override string ToString() => First == Last ? $"{File}:{First}" : $"{File}:{First}-{Last}";
}
