using Microsoft.CodeAnalysis;

namespace Coldmod.Weaver.Tests.Infrastructure;

/// <summary>A src the oracle derived from Roslyn.</summary>
/// <param name="Key">The key the scanner must report: <see cref="DocumentationId"/>, suffixed <c>$n</c> for the n-th method sharing it.</param>
/// <param name="DocumentationId"><c>GetDocumentationCommentId()</c> of the method that runs, without <c>M:</c>.</param>
/// <param name="Symbol">The member as declared in source (for a C# 14 extension member, the member inside the extension block).</param>
/// <param name="Places">Where the method's first traced line may be: its declaration, and for constructors the initializers they run.</param>
/// <param name="Declaration">The declaration's own lines (for a constructor, without the initializers).</param>
public sealed record ExpectedSrc(string Key, string DocumentationId, IMethodSymbol Symbol, IReadOnlyList<LineRange> Places, LineRange? Declaration)
{
    public bool IsAt(string file, int line) => Places.Any(p => p.Contains(file, line));

    public override string ToString() => $"{Key} at {string.Join(" or ", Places)}";
}
