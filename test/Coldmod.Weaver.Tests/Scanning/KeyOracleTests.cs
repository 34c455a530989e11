using Coldmod.Weaver.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Coldmod.Weaver.Tests.Scanning;

/// <summary>
/// Roslyn is the oracle: for every build of the corpus, the scanner reports exactly the methods the symbols say
/// have a body in a traced file, keyed by their documentation comment IDs and placed in their declarations.
/// </summary>
public sealed class KeyOracleTests(CorpusFixture corpus) : IClassFixture<CorpusFixture>
{
    public static TheoryData<string> Variants => CorpusVariants.Theory;

    [Theory]
    [MemberData(nameof(Variants))]
    public void Scanner_reports_exactly_the_srcs_Roslyn_declares(string variant)
    {
        var build = corpus.Build(variant);
        var expected = corpus.Expect(build);

        var scan = build.Scan(corpus.Root);

        var differences = SrcComparison.Differences(expected, scan.Srcs);
        Assert.True(differences.Count == 0, SrcComparison.Describe($"{variant}: scanner vs Roslyn ({expected.Count} expected, {scan.Srcs.Count} scanned)", differences));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Methods_sharing_a_documentation_id_are_suffixed_and_warned_about(string variant)
    {
        var build = corpus.Build(variant);
        var expected = corpus.Expect(build);
        var scan = build.Scan(corpus.Root);

        // The corpus's two Apply overloads that differ only in function pointer types.
        var shared = Assert.Single(expected.GroupBy(e => e.DocumentationId, StringComparer.Ordinal), g => g.Count() > 1);
        var ordered = shared.OrderBy(e => e.Places[0].First).ToList();
        Assert.Equal(2, ordered.Count);
        var first = Assert.Single(scan.Srcs, s => s.Key == shared.Key);
        var second = Assert.Single(scan.Srcs, s => s.Key == shared.Key + "$2");
        Assert.True(ordered[0].IsAt(first.File, first.Line), $"{first.Key} at {first.Location}, expected {ordered[0]}");
        Assert.True(ordered[1].IsAt(second.File, second.Line), $"{second.Key} at {second.Location}, expected {ordered[1]}");

        // Nothing else is worth a warning in this corpus: one CM0006, about the second method.
        var warning = Assert.Single(scan.Warnings);
        Assert.Equal(DiagnosticCodes.DuplicateKey, warning.Code);
        Assert.Equal((second.File, second.Line), (warning.File, warning.Line));
        Assert.Contains(shared.Key, warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Async_methods_and_iterators_are_keyed_and_placed_at_their_declared_method(string variant)
    {
        var build = corpus.Build(variant);
        var scanned = build.Scan(corpus.Root).Srcs.ToDictionary(s => s.Key, StringComparer.Ordinal);
        var stateMachines = corpus.Expect(build).Where(e => e.Symbol.IsAsync || e.Symbol.IsIterator).ToList();

        // Every flavour the corpus declares is really there, so this cannot pass on an empty list.
        Assert.Contains(stateMachines, e => e.Symbol.IsAsync && e.Symbol.ReturnType.Name == "Task");
        Assert.Contains(stateMachines, e => e.Symbol.IsAsync && e.Symbol.ReturnType.Name == "ValueTask");
        Assert.Contains(stateMachines, e => e.Symbol.IsAsync && e.Symbol.ReturnsVoid);
        Assert.Contains(stateMachines, e => e.Symbol.IsAsync && e.Symbol.IsIterator);
        Assert.Contains(stateMachines, e => !e.Symbol.IsAsync && e.Symbol.IsIterator);
        Assert.Contains(stateMachines, e => e.Symbol.MethodKind == MethodKind.ExplicitInterfaceImplementation && e.Symbol.IsIterator);

        var wrong = new List<string>();
        foreach (var method in stateMachines)
        {
            if (!scanned.TryGetValue(method.Key, out var src))
            {
                wrong.Add($"missing: {method}");
            }
            else if (method.Declaration?.Contains(src.File, src.Line) != true)
            {
                wrong.Add($"misplaced: {method.Key} at {src.Location}, declared at {method.Declaration}");
            }
        }

        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Sources_outside_the_root_ignored_files_and_ignored_keys_are_not_traced(string variant)
    {
        var build = corpus.Build(variant);
        var scan = build.Scan(corpus.Root);

        var outsideTrees = build.Compilation.SyntaxTrees.Where(t => build.SourceOf(t).RootRelativePath is null).ToList();
        var ignoredTrees = build.Compilation.SyntaxTrees
            .Where(t => build.SourceOf(t).RootRelativePath is { } relative && CorpusFixture.IsIgnoredByMarker(relative))
            .ToList();
        var outsideKeys = DeclaredMethodIds(build, outsideTrees);
        var ignoredFileKeys = DeclaredMethodIds(build, ignoredTrees);
        Assert.NotEmpty(outsideKeys);
        Assert.NotEmpty(ignoredFileKeys);

        var keys = scan.Srcs.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(outsideKeys, keys.Contains);
        Assert.DoesNotContain(ignoredFileKeys, keys.Contains);
        Assert.DoesNotContain(CorpusFixture.IgnoredKey, keys);
        Assert.All(scan.Srcs, s => Assert.False(
            s.File.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(s.File) || CorpusFixture.IsIgnoredByMarker(s.File),
            $"{s.Key} is traced at {s.Location}"));
        Assert.True(scan.HasDocumentsUnderRoot);
    }

    [Fact]
    public void Constructors_that_an_optimizing_build_leaves_without_code_are_srcs_only_in_Debug()
    {
        var debug = corpus.Build(CorpusVariants.Debug);
        var release = corpus.Build(CorpusVariants.Release);
        var releaseKeys = corpus.Expect(release).Select(e => e.Key).ToHashSet(StringComparer.Ordinal);

        // Their initializers all assign defaults, which Release drops; a declared constructor keeps its own lines.
        var debugOnly = corpus.Expect(debug).Where(e => !releaseKeys.Contains(e.Key)).ToList();
        Assert.Contains(debugOnly, e => e.Symbol is { MethodKind: MethodKind.Constructor, ContainingType.Name: "OrderStatistics" });
        Assert.All(debugOnly, e => Assert.True(e.Symbol is { MethodKind: MethodKind.Constructor, IsImplicitlyDeclared: true }, $"{e.Key} is not an implicit constructor"));

        var debugScan = debug.Scan(corpus.Root).Srcs.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        var releaseScan = release.Scan(corpus.Root).Srcs.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        Assert.All(debugOnly, e => Assert.Contains(e.Key, debugScan));
        Assert.All(debugOnly, e => Assert.DoesNotContain(e.Key, releaseScan));
    }

    [Fact]
    public void The_oracle_covers_every_kind_of_traced_member()
    {
        var expected = corpus.Expect(corpus.Build(CorpusVariants.Debug));

        // Guards the oracle against a corpus or rule change that would silently leave a kind out.
        var kinds = new (string Kind, Func<ExpectedSrc, bool> Is)[]
        {
            ("declared constructor", e => e.Symbol.MethodKind == MethodKind.Constructor && e.Symbol.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is ConstructorDeclarationSyntax)),
            ("class primary constructor", e => e.Symbol.MethodKind == MethodKind.Constructor && e.Symbol.ContainingType.TypeKind == TypeKind.Class && e.Symbol.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax)),
            ("record primary constructor", e => e.Symbol.MethodKind == MethodKind.Constructor && e.Symbol.ContainingType.IsRecord && e.Symbol.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax)),
            ("struct primary constructor running initializers", e => e.Symbol.MethodKind == MethodKind.Constructor && e.Symbol.ContainingType.TypeKind == TypeKind.Struct && e.Symbol.DeclaringSyntaxReferences.Any(r => r.GetSyntax() is TypeDeclarationSyntax)),
            ("implicit constructor running initializers", e => e.Symbol.MethodKind == MethodKind.Constructor && e.Symbol.IsImplicitlyDeclared),
            ("declared static constructor", e => e.Symbol.MethodKind == MethodKind.StaticConstructor && !e.Symbol.IsImplicitlyDeclared),
            ("implicit static constructor", e => e.Symbol.MethodKind == MethodKind.StaticConstructor && e.Symbol.IsImplicitlyDeclared),
            ("initializer in another partial file", e => e.Places.Select(p => p.File).Distinct().Count() > 1),
            ("property getter", e => e.Symbol.MethodKind == MethodKind.PropertyGet),
            ("property setter", e => e.Symbol.MethodKind == MethodKind.PropertySet),
            ("partial property accessor", e => e.Symbol.AssociatedSymbol is IPropertySymbol { PartialDefinitionPart: not null }),
            ("indexer", e => e.Symbol.AssociatedSymbol is IPropertySymbol { IsIndexer: true }),
            ("event adder", e => e.Symbol.MethodKind == MethodKind.EventAdd),
            ("event remover", e => e.Symbol.MethodKind == MethodKind.EventRemove),
            ("operator", e => e.Symbol.MethodKind == MethodKind.UserDefinedOperator),
            ("checked operator", e => e.Symbol.Name.StartsWith("op_Checked", StringComparison.Ordinal) && e.Symbol.MethodKind == MethodKind.UserDefinedOperator),
            ("instance compound assignment operator", e => e.Symbol.MethodKind == MethodKind.UserDefinedOperator && !e.Symbol.IsStatic),
            ("implicit conversion", e => e.Symbol.Name == "op_Implicit"),
            ("explicit conversion", e => e.Symbol.Name == "op_Explicit"),
            ("checked conversion", e => e.Symbol.Name == "op_CheckedExplicit"),
            ("finalizer", e => e.Symbol.MethodKind == MethodKind.Destructor),
            ("explicit interface implementation", e => e.Symbol.MethodKind == MethodKind.ExplicitInterfaceImplementation),
            ("explicit generic interface implementation", e => e.Symbol.ExplicitInterfaceImplementations.Any(i => i.ContainingType.IsGenericType)),
            ("default interface method", e => e.Symbol.ContainingType.TypeKind == TypeKind.Interface),
            ("partial method", e => e.Symbol.PartialDefinitionPart is not null),
            ("classic extension method", e => e.Symbol.IsExtensionMethod),
            ("extension block member", e => e.Symbol.ContainingType.IsExtension),
            ("generic method", e => e.Symbol.IsGenericMethod),
            ("method of a generic type nested three deep", e => e.Symbol.ContainingType.ContainingType?.ContainingType is { IsGenericType: true }),
            ("member of a file-local type", e => e.Symbol.ContainingType.IsFileLocal),
            ("vararg method", e => e.Symbol.IsVararg),
            ("member of a type in the global namespace", e => e.Symbol.ContainingNamespace.IsGlobalNamespace),
            ("async method", e => e.Symbol.IsAsync),
            ("iterator", e => e.Symbol.IsIterator),
            ("shared documentation ID", e => e.Key != e.DocumentationId),
            ("lambda in a constructor body", e => IsLambda(e) && Syntax(e)?.Ancestors() is { } up && up.Any(a => a is ConstructorDeclarationSyntax)),
            ("lambda in a field initializer", e => IsLambda(e) && Syntax(e)?.Ancestors() is { } up && up.Any(a => a is FieldDeclarationSyntax) && !e.Key.Contains("#cctor", StringComparison.Ordinal)),
            ("lambda in a static field initializer", e => IsLambda(e) && e.Key.Contains("#cctor=>", StringComparison.Ordinal)),
            ("lambda in a property getter", e => IsLambda(e) && e.Key.Contains(".get_", StringComparison.Ordinal)),
            ("nested lambda", e => IsLambda(e) && e.Symbol.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction }),
            ("anonymous method", e => Syntax(e) is AnonymousMethodExpressionSyntax),
            ("async lambda", e => IsLambda(e) && e.Symbol.IsAsync),
            ("lambda in a generic method", e => IsLambda(e) && e.Symbol.ContainingSymbol is IMethodSymbol { IsGenericMethod: true }),
            ("lambda in an iterator", e => IsLambda(e) && e.Symbol.ContainingSymbol is IMethodSymbol { IsIterator: true }),
            ("lambda in a local function", e => IsLambda(e) && e.Symbol.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.LocalFunction }),
            ("local function", e => e.Symbol.MethodKind == MethodKind.LocalFunction),
            ("static local function", e => e.Symbol is { MethodKind: MethodKind.LocalFunction, IsStatic: true }),
            ("async local function", e => e.Symbol is { MethodKind: MethodKind.LocalFunction, IsAsync: true }),
            ("local function in a generic method", e => e.Symbol is { MethodKind: MethodKind.LocalFunction, ContainingSymbol: IMethodSymbol { IsGenericMethod: true } }),
        };

        var absent = kinds.Where(k => !expected.Any(k.Is)).Select(k => k.Kind).ToList();
        Assert.True(absent.Count == 0, "The oracle expects no " + string.Join(", ", absent));
    }

    [Theory]
    [MemberData(nameof(Variants))]
    public void Lambdas_are_srcs_of_their_own_except_expression_trees(string variant)
    {
        var build = corpus.Build(variant);
        var keys = build.Scan(corpus.Root).Srcs.Select(s => s.Key).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("Shop.Handlers.HandlerRegistry.Sum(System.Collections.Generic.IEnumerable{System.Int32})", keys);
        Assert.Contains("Shop.Handlers.HandlerRegistry.Sum(System.Collections.Generic.IEnumerable{System.Int32})=>0", keys);
        Assert.Contains("Shop.Handlers.HandlerRegistry.Sum(System.Collections.Generic.IEnumerable{System.Int32})=>Offset=>0", keys);
        Assert.Contains("Shop.Handlers.HandlerRegistry.Adder=>0=>0", keys);
        Assert.Contains("Shop.Handlers.HandlerRegistry.Tree", keys);
        Assert.DoesNotContain(keys, k => k.StartsWith("Shop.Handlers.HandlerRegistry.Tree=>", StringComparison.Ordinal));
    }

    private static bool IsLambda(ExpectedSrc e) => e.Symbol.MethodKind == MethodKind.AnonymousFunction;

    private static SyntaxNode? Syntax(ExpectedSrc e) => e.Symbol.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax();

    private static List<string> DeclaredMethodIds(CorpusBuild build, IReadOnlyList<SyntaxTree> trees)
    {
        var ids = new List<string>();
        foreach (var tree in trees)
        {
            var model = build.Compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes().Where(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax))
            {
                if (model.GetDeclaredSymbol(node) is IMethodSymbol method && method.GetDocumentationCommentId() is { } id)
                {
                    ids.Add(id[2..]);
                }
            }
        }

        return ids;
    }
}
