using System.Collections.Immutable;

namespace Coldmod.Cli.Codemods;

// A source file as the build read it: its local path, the checksum the compiler recorded, and the symbols it defined.
internal sealed record BuiltDocument(string LocalPath, Guid HashAlgorithm, ImmutableArray<byte> Checksum, IReadOnlyList<string> PreprocessorSymbols)
{
    public bool Equals(BuiltDocument? other) =>
        other is not null && string.Equals(LocalPath, other.LocalPath, StringComparison.Ordinal) &&
        HashAlgorithm == other.HashAlgorithm && Checksum.SequenceEqual(other.Checksum);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(LocalPath);
}
