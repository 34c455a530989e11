using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace Coldmod.Weaver.Tests.Infrastructure;

/// <summary>
/// Derives the srcs of a corpus build from Roslyn's symbols and syntax alone, by the rules of DESIGN.md ("which
/// methods are trace srcs") and what the C# compiler is known to emit. It never reads the assembly, the PDB or any
/// scanner code, so it can disagree with the scanner.
/// </summary>
public static class KeyOracle
{
    public static IReadOnlyList<ExpectedSrc> Expect(CorpusBuild build, Func<string, bool> isIgnoredFile, IReadOnlySet<string> ignoredKeys)
    {
        var oracle = new Oracle(build, isIgnoredFile);
        var found = new List<Found>();
        foreach (var type in AllTypes(build.Compilation.Assembly.GlobalNamespace))
        {
            foreach (var method in type.GetMembers().OfType<IMethodSymbol>())
            {
                if (oracle.Consider(type, method) is { } src && !ignoredKeys.Contains(src.DocumentationId))
                {
                    found.Add(src);
                    found.AddRange(oracle.Nested(src.DocumentationId, src.Scopes));
                }
            }
        }

        return AssignKeys(found);
    }

    private static IEnumerable<INamedTypeSymbol> AllTypes(INamespaceOrTypeSymbol container)
    {
        foreach (var member in container.GetMembers())
        {
            if (member is INamespaceOrTypeSymbol inner)
            {
                if (inner is INamedTypeSymbol type)
                {
                    yield return type;
                }

                foreach (var nested in AllTypes(inner))
                {
                    yield return nested;
                }
            }
        }
    }

    // Methods sharing an ID are told apart in metadata order, which for members of one type is declaration order.
    private static List<ExpectedSrc> AssignKeys(List<Found> found)
    {
        var expected = new List<ExpectedSrc>(found.Count);
        foreach (var group in found.GroupBy(f => f.DocumentationId, StringComparer.Ordinal))
        {
            var ordered = group.OrderBy(f => f.TreeIndex).ThenBy(f => f.Position).ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                var f = ordered[i];
                var key = i == 0 ? f.DocumentationId : $"{f.DocumentationId}${i + 1}";
                expected.Add(new ExpectedSrc(key, f.DocumentationId, f.Declared, f.Places, f.Declaration));
            }
        }

        return expected;
    }

    private sealed record Found(
        IMethodSymbol Declared,
        string DocumentationId,
        IReadOnlyList<LineRange> Places,
        LineRange? Declaration,
        int TreeIndex,
        int Position)
    {
        // The syntax the member's code comes from (for a constructor, the initializers it runs too): where its
        // lambdas and local functions are written.
        public IReadOnlyList<SyntaxNode> Scopes { get; init; } = [];
    }

    private sealed class Oracle(CorpusBuild build, Func<string, bool> isIgnoredFile)
    {
        private readonly Compilation _compilation = build.Compilation;
        private readonly Dictionary<SyntaxTree, int> _treeIndexes = build.Compilation.SyntaxTrees.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);

        public Found? Consider(INamedTypeSymbol type, IMethodSymbol method)
        {
            if (type.TypeKind == TypeKind.Delegate)
            {
                // The runtime implements a delegate's methods; they have no IL.
                return null;
            }

            if (method.IsImplicitlyDeclared)
            {
                return ConsiderImplicit(type, method);
            }

            var declared = ImplementationPart(method);
            var syntax = declared.DeclaringSyntaxReferences.Single().GetSyntax();

            // A member of a C# 14 extension block runs as a static implementation method of the enclosing class
            // (receiver first): that method carries the IL and the lines, so its ID is the key. Roslyn hands the
            // implementation back constructed over the block's type parameters; the declared method is its original.
            var runs = type.IsExtension
                ? declared.AssociatedExtensionImplementation?.OriginalDefinition
                    ?? throw new InvalidOperationException($"Extension member {declared} has no implementation method.")
                : declared;

            return syntax switch
            {
                ConstructorDeclarationSyntax { Body: null, ExpressionBody: null } => null,
                ConstructorDeclarationSyntax constructor => Constructor(type, declared, runs, constructor),
                BaseMethodDeclarationSyntax { Body: null, ExpressionBody: null } => null,
                BaseMethodDeclarationSyntax member => Member(declared, runs, member),
                AccessorDeclarationSyntax { Body: null, ExpressionBody: null } => null,
                AccessorDeclarationSyntax accessor => Member(declared, runs, accessor),
                ArrowExpressionClauseSyntax arrow => Member(declared, runs, arrow),
                TypeDeclarationSyntax declaration when declared.MethodKind == MethodKind.Constructor => PrimaryConstructor(type, declared, declaration),
                _ => throw new InvalidOperationException(
                    $"The oracle does not know how {declared} is declared ({syntax.Kind()}); teach it before adding such code to the corpus."),
            };
        }

        // Lambdas, anonymous methods and local functions written directly in the scopes (not inside another one),
        // then theirs: a lambda keyed by its index in source order among its parent's lambdas, a local function by its
        // name. Lambdas converted to expression trees compile to no method of their own.
        public IEnumerable<Found> Nested(string parentKey, IReadOnlyList<SyntaxNode> scopes)
        {
            var children = scopes.SelectMany(DirectChildren).ToList();
            var lambdaIndex = 0;
            foreach (var child in children)
            {
                var model = _compilation.GetSemanticModel(child.SyntaxTree);
                string key;
                IMethodSymbol symbol;
                SyntaxNode body; // searched for the functions inside this one
                if (child is LocalFunctionStatementSyntax local)
                {
                    key = $"{parentKey}=>{local.Identifier.ValueText}";
                    symbol = (IMethodSymbol)model.GetDeclaredSymbol(local)!;
                    body = local;
                }
                else
                {
                    var lambda = (AnonymousFunctionExpressionSyntax)child;
                    if (IsExpressionTree(model, lambda))
                    {
                        continue;
                    }

                    key = $"{parentKey}=>{lambdaIndex++}";
                    symbol = (IMethodSymbol)model.GetSymbolInfo(lambda).Symbol!;
                    body = lambda;
                }

                if (Traced(Lines(child)) is not { } place)
                {
                    continue;
                }

                yield return new Found(symbol, key, [place], place, _treeIndexes[child.SyntaxTree], child.SpanStart);
                foreach (var nested in Nested(key, [body]))
                {
                    yield return nested;
                }
            }
        }

        private static IEnumerable<SyntaxNode> DirectChildren(SyntaxNode scope) =>
            scope.DescendantNodes(descendIntoChildren: n => n == scope || !IsFunction(n)).Where(IsFunction);

        private static bool IsFunction(SyntaxNode node) => node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax;

        private static bool IsExpressionTree(SemanticModel model, AnonymousFunctionExpressionSyntax lambda) =>
            model.GetTypeInfo(lambda).ConvertedType is INamedTypeSymbol { Name: "Expression", ContainingNamespace: var ns } &&
            ns.ToDisplayString() == "System.Linq.Expressions";

        // Implicitly declared members with IL are compiler-synthesized (record members, auto-property and field-like
        // event accessors, copy constructors, extension implementation methods, which are reached through their
        // extension block) and have no body in source, except two that exist to run initializers and carry their
        // lines: the default constructor of a class and the static constructor.
        // The compiler emits an implicit static constructor only when a static initializer assigns something other
        // than a default value (SynthesizedStaticConstructor.ShouldEmit), in every build.
        private Found? ConsiderImplicit(INamedTypeSymbol type, IMethodSymbol method) => method.MethodKind switch
        {
            MethodKind.StaticConstructor when Initializers(type, isStatic: true).All(i => AssignsDefault(i.Value)) => null,
            MethodKind.StaticConstructor =>
                ConstructorFound(type, method, method, declaration: null, runsInitializers: true),
            MethodKind.Constructor when method.Parameters.IsEmpty && type.TypeKind == TypeKind.Class =>
                ConstructorFound(type, method, method, declaration: null, runsInitializers: true),
            _ => null,
        };

        // Not a src, and not one the scanner could make: a member whose expression body is a call the compiler
        // omits (to a partial method without implementation, or a [Conditional] method whose symbol the file does
        // not define) compiles to a bare `ret` without sequence points, so the PDB does not say which file it is in.
        // A block body would keep a line on its braces.
        private Found? Member(IMethodSymbol declared, IMethodSymbol runs, SyntaxNode syntax) =>
            OnlyCallsOmittedCode(syntax) ? null : Create(declared, runs, [Lines(syntax)], Lines(syntax)) is { } found ? found with { Scopes = [syntax] } : null;

        private bool OnlyCallsOmittedCode(SyntaxNode syntax)
        {
            var expression = syntax switch
            {
                ArrowExpressionClauseSyntax arrow => arrow.Expression,
                BaseMethodDeclarationSyntax { Body: null, ExpressionBody: { } arrow } => arrow.Expression,
                AccessorDeclarationSyntax { Body: null, ExpressionBody: { } arrow } => arrow.Expression,
                _ => null,
            };
            if (expression is not InvocationExpressionSyntax)
            {
                return false;
            }

            var target = _compilation.GetSemanticModel(expression.SyntaxTree).GetSymbolInfo(expression).Symbol as IMethodSymbol;
            return target is not null && CallsAreOmitted(target, expression.SyntaxTree);
        }

        // The compiler's rule (MethodSymbol.CallsAreOmitted), for the attributes a method declares itself; a
        // [Conditional] inherited from an overridden method is not modelled, and the corpus has none.
        private static bool CallsAreOmitted(IMethodSymbol target, SyntaxTree callingTree)
        {
            if (target.IsPartialDefinition && target.PartialImplementationPart is null)
            {
                return true;
            }

            var conditions = target.GetAttributes()
                .Where(a => a.AttributeClass?.ToDisplayString() == "System.Diagnostics.ConditionalAttribute")
                .Select(a => a.ConstructorArguments[0].Value as string)
                .ToList();
            return conditions.Count > 0 && !conditions.Any(c => callingTree.Options.PreprocessorSymbolNames.Contains(c));
        }

        // A constructor that chains to this(...) leaves the initializers to the one it calls.
        private Found? Constructor(INamedTypeSymbol type, IMethodSymbol declared, IMethodSymbol runs, ConstructorDeclarationSyntax syntax) =>
            ConstructorFound(type, declared, runs, Lines(syntax), runsInitializers: syntax.Initializer?.ThisOrBaseKeyword.IsKind(SyntaxKind.ThisKeyword) != true, own: syntax);

        private Found? PrimaryConstructor(INamedTypeSymbol type, IMethodSymbol declared, TypeDeclarationSyntax syntax)
        {
            // A struct's primary constructor calls no base constructor: it has lines only when it runs initializers.
            Place? declaration = null;
            if (type.TypeKind == TypeKind.Class)
            {
                // The call to the base constructor has a line: the type's name and parameters, or the arguments of
                // the primary base type, which may sit on the next line.
                var end = syntax.ParameterList!.Span.End;
                var baseCall = syntax.BaseList?.Types.OfType<PrimaryConstructorBaseTypeSyntax>().SingleOrDefault();
                if (baseCall is not null)
                {
                    end = Math.Max(end, baseCall.Span.End);
                }

                declaration = new Place(syntax.SyntaxTree, TextSpan.FromBounds(syntax.Identifier.SpanStart, end));
            }

            return ConstructorFound(type, declared, declared, declaration, runsInitializers: true,
                own: syntax.BaseList?.Types.OfType<PrimaryConstructorBaseTypeSyntax>().SingleOrDefault()?.ArgumentList);
        }

        private Found? ConstructorFound(INamedTypeSymbol type, IMethodSymbol declared, IMethodSymbol runs, Place? declaration, bool runsInitializers, SyntaxNode? own = null)
        {
            var initializerValues = runsInitializers ? EffectiveInitializerValues(type, declared.IsStatic).ToList() : [];
            var initializers = initializerValues.Select(i => i.Place).ToList();

            // Initializers run before the base constructor call and the body, so a constructor with an initializer
            // in a traced file is placed at one; except in a struct, whose constructor a debug build opens with
            // its brace before the initializers.
            var initializersFirst = declared.IsStatic || type.TypeKind != TypeKind.Struct;
            var places = new List<Place>();
            if (declaration is not null && !(initializersFirst && initializers.Any(i => Traced(i) is not null)))
            {
                places.Add(declaration);
            }

            places.AddRange(initializers);
            IReadOnlyList<SyntaxNode> scopes = [.. initializerValues.Select(i => (SyntaxNode)i.Value), .. own is null ? [] : new[] { own }];
            return Create(declared, runs, places, declaration) is { } found ? found with { Scopes = scopes } : null;
        }

        private Found? Create(IMethodSymbol declared, IMethodSymbol runs, IReadOnlyList<Place> places, Place? declaration)
        {
            // A method is traced when it has a line in a file under the root that no glob ignores (DESIGN.md): lines
            // elsewhere (initializers in a designer file, a vendored file) neither make nor place a src.
            var traced = places.Select(Traced).OfType<LineRange>().ToList();
            if (traced.Count == 0)
            {
                return null;
            }

            var id = runs.GetDocumentationCommentId() ?? throw new InvalidOperationException($"{runs} has no documentation comment ID.");
            var first = places[0];
            return new Found(
                declared,
                id.StartsWith("M:", StringComparison.Ordinal) ? id[2..] : throw new InvalidOperationException($"{runs} has the non-method ID {id}."),
                traced,
                declaration is null ? null : Traced(declaration),
                _treeIndexes[first.Tree],
                first.Span.Start);
        }

        private IEnumerable<(EqualsValueClauseSyntax Value, Place Place)> EffectiveInitializerValues(INamedTypeSymbol type, bool isStatic)
        {
            var initializers = Initializers(type, isStatic);

            // An optimizing build drops initializers that assign a default value (LocalRewriter's
            // ShouldOptimizeOutInitializer): one by one for instance fields of classes, all or none for static fields,
            // never for instance fields of structs.
            IEnumerable<(EqualsValueClauseSyntax Value, MemberDeclarationSyntax Member)> effective = initializers;
            if (build.Optimized)
            {
                if (isStatic)
                {
                    effective = initializers.All(i => AssignsDefault(i.Value)) ? [] : initializers;
                }
                else if (type.TypeKind != TypeKind.Struct)
                {
                    effective = initializers.Where(i => !AssignsDefault(i.Value));
                }
            }

            // The initializer's line is that of its declaration, which may start with modifiers or attributes.
            return effective.Select(i => (i.Value, new Place(i.Value.SyntaxTree, TextSpan.FromBounds(i.Member.SpanStart, i.Value.Span.End))));
        }

        // Every part of a partial type contributes.
        private static List<(EqualsValueClauseSyntax Value, MemberDeclarationSyntax Member)> Initializers(INamedTypeSymbol type, bool isStatic)
        {
            var initializers = new List<(EqualsValueClauseSyntax Value, MemberDeclarationSyntax Member)>();
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is not TypeDeclarationSyntax declaration)
                {
                    continue;
                }

                foreach (var member in declaration.Members)
                {
                    if (member.Modifiers.Any(SyntaxKind.StaticKeyword) != isStatic)
                    {
                        continue;
                    }

                    switch (member)
                    {
                        case BaseFieldDeclarationSyntax field when !field.Modifiers.Any(SyntaxKind.ConstKeyword):
                            initializers.AddRange(field.Declaration.Variables
                                .Where(v => v.Initializer is not null)
                                .Select(v => (v.Initializer!, (MemberDeclarationSyntax)field)));
                            break;
                        case PropertyDeclarationSyntax { Initializer: { } value } property:
                            initializers.Add((value, property));
                            break;
                    }
                }
            }

            return initializers;
        }

        // The compiler's test is on the converted value: a default(T)/default literal, or a constant equal to the
        // default of its type (null, zero, false).
        private bool AssignsDefault(EqualsValueClauseSyntax initializer)
        {
            var model = _compilation.GetSemanticModel(initializer.SyntaxTree);
            var value = (model.GetOperation(initializer) as ISymbolInitializerOperation)?.Value;
            return value switch
            {
                IDefaultValueOperation => true,
                { ConstantValue: { HasValue: true, Value: null } } => true,
                { ConstantValue: { HasValue: true, Value: string } } => false,
                { ConstantValue: { HasValue: true, Value: { } constant } } => constant.Equals(Activator.CreateInstance(constant.GetType())),
                _ => false,
            };
        }

        private static IMethodSymbol ImplementationPart(IMethodSymbol method) => method switch
        {
            { PartialImplementationPart: { } implementation } => implementation,
            { AssociatedSymbol: IPropertySymbol { PartialImplementationPart: { } property } } =>
                (method.MethodKind == MethodKind.PropertyGet ? property.GetMethod : property.SetMethod)!,
            { AssociatedSymbol: IEventSymbol { PartialImplementationPart: { } @event } } =>
                (method.MethodKind == MethodKind.EventAdd ? @event.AddMethod : @event.RemoveMethod)!,
            _ => method,
        };

        private static Place Lines(SyntaxNode syntax) => new(syntax.SyntaxTree, syntax.Span);

        private LineRange? Traced(Place place)
        {
            var relative = build.SourceOf(place.Tree).RootRelativePath;
            if (relative is null || isIgnoredFile(relative))
            {
                return null;
            }

            var lines = place.Tree.GetLineSpan(place.Span);
            return new LineRange(relative, lines.StartLinePosition.Line + 1, lines.EndLinePosition.Line + 1);
        }
    }

    private sealed record Place(SyntaxTree Tree, TextSpan Span);
}
