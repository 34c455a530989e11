using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Coldmod.Cli.Codemods;

// Finds a method's declaration in a syntax tree: the one declaration that holds the method's sequence points and has
// the kind, name, parameter count and arity its metadata says. Lambdas and local functions compile to methods of their
// own, so the points of the method itself never lie inside them; field initializers run in constructors but lie in no
// constructor, so they are passed over.
internal static class DeclarationLocator
{
    public static SyntaxNode? Locate(BuiltMethod method, SourceFile file, out string? problem)
    {
        problem = null;
        var text = file.Text;
        var root = file.Tree.GetRoot();
        var units = new HashSet<SyntaxNode>();
        foreach (var point in method.Points.Where(p => string.Equals(p.Document.LocalPath, file.Path, StringComparison.Ordinal)))
        {
            if (point.StartLine < 1 || point.StartLine > text.Lines.Count)
            {
                problem = $"its lines ({point.StartLine}) are outside the file";
                return null;
            }

            var line = text.Lines[point.StartLine - 1];
            var position = Math.Min(line.Start + point.StartColumn - 1, line.End);
            if (Unit(root.FindToken(position), position) is { } unit)
            {
                units.Add(unit);
            }
        }

        var matching = units.Where(u => Matches(u, method)).ToList();
        if (matching.Count == 1)
        {
            return matching[0];
        }

        problem = matching.Count == 0
            ? units.Count == 0
                ? "no declaration of its own holds its lines (a primary constructor, a constructor made of field initializers, or generated code)"
                : $"the declaration at its lines is not a {Describe(method.Kind)} named {method.Name} with {method.ParameterCount} parameters"
            : "its lines lie in several declarations";
        return null;
    }

    private static SyntaxNode? Unit(SyntaxToken token, int position)
    {
        foreach (var node in token.Parent?.AncestorsAndSelf() ?? [])
        {
            switch (node)
            {
                case AccessorDeclarationSyntax or BaseMethodDeclarationSyntax:
                    return node;
                case BasePropertyDeclarationSyntax property when ExpressionBody(property) is { } body && body.FullSpan.Contains(position):
                    return node;
                case BaseTypeDeclarationSyntax or CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or GlobalStatementSyntax:
                    return null;
                default:
                    break;
            }
        }

        return null;
    }

    private static ArrowExpressionClauseSyntax? ExpressionBody(BasePropertyDeclarationSyntax property) => property switch
    {
        PropertyDeclarationSyntax p => p.ExpressionBody,
        IndexerDeclarationSyntax i => i.ExpressionBody,
        _ => null,
    };

    private static bool Matches(SyntaxNode unit, BuiltMethod method) => (unit, method.Kind) switch
    {
        (MethodDeclarationSyntax m, MemberKind.Method) =>
            m.Identifier.ValueText == method.Name &&
            (m.ExplicitInterfaceSpecifier is not null) == method.IsExplicitImplementation &&
            (m.TypeParameterList?.Parameters.Count ?? 0) == method.GenericArity &&
            ParameterCount(m.ParameterList) == method.ParameterCount,
        (ConstructorDeclarationSyntax c, MemberKind.Constructor) =>
            !c.Modifiers.Any(SyntaxKind.StaticKeyword) && ParameterCount(c.ParameterList) == method.ParameterCount,
        (ConstructorDeclarationSyntax c, MemberKind.StaticConstructor) => c.Modifiers.Any(SyntaxKind.StaticKeyword),
        (DestructorDeclarationSyntax, MemberKind.Finalizer) => true,
        (MethodDeclarationSyntax m, MemberKind.Finalizer) => m.Identifier.ValueText == "Finalize",
        (OperatorDeclarationSyntax o, MemberKind.Operator) => ParameterCount(o.ParameterList) == method.ParameterCount,
        (ConversionOperatorDeclarationSyntax, MemberKind.Conversion) => true,
        (AccessorDeclarationSyntax a, _) => AccessorMatches(a, method),
        (BasePropertyDeclarationSyntax p, MemberKind.Getter) => PropertyNameMatches(p, method),
        _ => false,
    };

    private static bool AccessorMatches(AccessorDeclarationSyntax accessor, BuiltMethod method)
    {
        var kindMatches = (accessor.Kind(), method.Kind) switch
        {
            (SyntaxKind.GetAccessorDeclaration, MemberKind.Getter) => true,
            (SyntaxKind.SetAccessorDeclaration or SyntaxKind.InitAccessorDeclaration, MemberKind.Setter) => true,
            (SyntaxKind.AddAccessorDeclaration, MemberKind.Adder) => true,
            (SyntaxKind.RemoveAccessorDeclaration, MemberKind.Remover) => true,
            _ => false,
        };
        return kindMatches && accessor.Parent?.Parent is BasePropertyDeclarationSyntax property && PropertyNameMatches(property, method);
    }

    // An indexer's metadata name is Item unless [IndexerName] renames it; its place in the PDB is what identifies it.
    private static bool PropertyNameMatches(BasePropertyDeclarationSyntax property, BuiltMethod method) => property switch
    {
        PropertyDeclarationSyntax p => p.Identifier.ValueText == method.Name && (p.ExplicitInterfaceSpecifier is not null) == method.IsExplicitImplementation,
        EventDeclarationSyntax e => e.Identifier.ValueText == method.Name && (e.ExplicitInterfaceSpecifier is not null) == method.IsExplicitImplementation,
        IndexerDeclarationSyntax i => (i.ExplicitInterfaceSpecifier is not null) == method.IsExplicitImplementation,
        _ => false,
    };

    private static int ParameterCount(BaseParameterListSyntax? parameters) =>
        parameters?.Parameters.Count(p => !p.Identifier.IsKind(SyntaxKind.ArgListKeyword)) ?? 0;

    private static string Describe(MemberKind kind) => kind switch
    {
        MemberKind.Method => "method",
        MemberKind.Constructor => "constructor",
        MemberKind.StaticConstructor => "static constructor",
        MemberKind.Finalizer => "finalizer",
        MemberKind.Operator => "operator",
        MemberKind.Conversion => "conversion operator",
        MemberKind.Getter => "get accessor",
        MemberKind.Setter => "set accessor",
        MemberKind.Adder => "add accessor",
        MemberKind.Remover => "remove accessor",
        _ => "member",
    };
}
