using System.Text.RegularExpressions;
using Coldmod.Weaver;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Coldmod.Cli.Tests;

// Roslyn is the key oracle (DESIGN.md): a hand-written srcs listing is checked against the compilations it
// describes, so an expected text cannot silently encode a wrong key, a wrong line or a missing method.
public static partial class RoslynOracle
{
    public static void Verify(string listing, RootMarker root, IEnumerable<Compilation> compilations)
    {
        var compilationList = compilations.ToList();
        var listed = Parse(listing);

        // Looked up by computing every method's ID rather than parsing the listed one: for overloads that differ
        // only in function pointer types, Roslyn writes an ID it cannot resolve back to either method.
        var methodsById = compilationList
            .SelectMany(c => Types(c.Assembly.GlobalNamespace))
            .SelectMany(t => t.GetMembers().OfType<IMethodSymbol>())
            .ToLookup(m => m.GetDocumentationCommentId(), StringComparer.Ordinal);

        foreach (var src in listed)
        {
            var declarations = methodsById["M:" + src.BaseKey].SelectMany(DeclarationsOf).ToList();
            Assert.True(declarations.Count > 0, $"Roslyn knows no method with the ID 'M:{src.BaseKey}'.");
            Assert.True(
                declarations.Any(d => root.ToRelativePath(d.SyntaxTree.FilePath) == src.File && Lines(d).Contains(src.Line)),
                $"{src.Key} is listed at {src.File}:{src.Line}, which is not inside its declaration.");
        }

        var expectedKeys = compilationList.SelectMany(c => TraceableMethodIds(c, root)).Distinct().Order(StringComparer.Ordinal);
        var listedKeys = listed.Select(s => s.BaseKey).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(expectedKeys, listedKeys);
    }

    private static List<ListedSrc> Parse(string listing)
    {
        var srcs = new List<ListedSrc>();
        string? file = null;
        foreach (var line in listing.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (!line.StartsWith("  ", StringComparison.Ordinal))
            {
                file = line;
                continue;
            }

            var parts = line[2..].Split("  ");
            Assert.Equal(2, parts.Length);
            var colon = parts[1].LastIndexOf(':');
            var src = new ListedSrc(parts[0], parts[1][..colon], int.Parse(parts[1][(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(file, src.File);
            srcs.Add(src);
        }

        return srcs;
    }

    // The methods DESIGN.md says are trace srcs, as Roslyn sees them: bodies the user wrote (or, for an
    // implicit constructor, field initializers that run in it), minus auto-accessors and ignored files.
    private static IEnumerable<string> TraceableMethodIds(Compilation compilation, RootMarker root)
    {
        foreach (var type in Types(compilation.Assembly.GlobalNamespace))
        {
            foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
            {
                if (method.IsAbstract || method.IsExtern || IsAutoAccessor(method) ||
                    (method.IsImplicitlyDeclared && !(method.MethodKind == MethodKind.Constructor && HasInstanceInitializers(type))))
                {
                    continue;
                }

                var file = DeclarationsOf(method).Select(d => root.ToRelativePath(d.SyntaxTree.FilePath)).First();
                if (file is not null && !root.IsIgnoredFile(file))
                {
                    yield return method.GetDocumentationCommentId()!["M:".Length..];
                }
            }
        }
    }

    private static IEnumerable<SyntaxNode> DeclarationsOf(IMethodSymbol method)
    {
        var references = method.DeclaringSyntaxReferences.IsEmpty ? method.ContainingType.DeclaringSyntaxReferences : method.DeclaringSyntaxReferences;
        return references.Select(r => r.GetSyntax());
    }

    private static IEnumerable<INamedTypeSymbol> Types(INamespaceOrTypeSymbol container)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamedTypeSymbol type)
            {
                yield return type;
            }

            if (member is INamespaceOrTypeSymbol nested)
            {
                foreach (var inner in Types(nested))
                {
                    yield return inner;
                }
            }
        }
    }

    private static bool IsAutoAccessor(IMethodSymbol method) =>
        method.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).Any(s => s is AccessorDeclarationSyntax { Body: null, ExpressionBody: null });

    private static bool HasInstanceInitializers(INamedTypeSymbol type) =>
        type.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax())
            .OfType<TypeDeclarationSyntax>()
            .SelectMany(t => t.Members)
            .Any(m => m switch
            {
                FieldDeclarationSyntax field => !field.Modifiers.Any(x => x.Text is "static" or "const") && field.Declaration.Variables.Any(v => v.Initializer is not null),
                PropertyDeclarationSyntax property => !property.Modifiers.Any(x => x.Text == "static") && property.Initializer is not null,
                _ => false,
            });

    private static IEnumerable<int> Lines(SyntaxNode node)
    {
        var span = node.SyntaxTree.GetLineSpan(node.Span);
        return Enumerable.Range(span.StartLinePosition.Line + 1, span.EndLinePosition.Line - span.StartLinePosition.Line + 1);
    }

    [GeneratedRegex(@"\$\d+$")]
    private static partial Regex DisambiguationSuffix();

    private sealed record ListedSrc(string Key, string File, int Line)
    {
        // The scanner suffixes the second of two methods sharing an ID; Roslyn knows them by the shared ID. A lambda or
        // local function is vouched for by its member, whose declaration holds its line.
        public string BaseKey => DisambiguationSuffix().Replace(Key.Split("=>")[0], "");
    }
}
