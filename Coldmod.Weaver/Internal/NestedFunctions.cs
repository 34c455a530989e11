using System.Globalization;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace Coldmod.Weaver.Internal;

/// <summary>
/// Finds the lambdas, anonymous methods and local functions the compiler lowered into methods of their own, and
/// where each one sits: its parent (the member, lambda or local function whose source contains it) and the
/// suffix that names it there. A lambda is named by its index, in source order, among its parent's lambdas; a
/// local function by its name. So a name changes only when a sibling lambda is added or removed before it.
/// </summary>
/// <remarks>
/// The parent of a lambda is the method that creates its delegate (<c>ldftn</c>), seen through state machines
/// (the <c>MoveNext</c> of an async method or iterator stands for the method itself). A local function may be
/// called from several places; its parent is the innermost of its callers' enclosing functions whose lines
/// contain its own.
/// </remarks>
internal sealed class NestedFunctions
{
    private readonly MetadataReader _reader;
    private readonly MetadataReader _pdb;
    private readonly IReadOnlyDictionary<MethodDefinitionHandle, MethodDefinitionHandle> _linesFrom;
    private readonly IReadOnlyDictionary<MethodDefinitionHandle, MethodDefinitionHandle> _kickoffs;
    private readonly Dictionary<MethodDefinitionHandle, Candidate> _candidates = [];
    private readonly Dictionary<MethodDefinitionHandle, List<MethodDefinitionHandle>> _referencers = [];
    private readonly Dictionary<MethodDefinitionHandle, MethodDefinitionHandle?> _parents = [];
    private readonly HashSet<MethodDefinitionHandle> _resolving = [];
    private readonly Dictionary<MethodDefinitionHandle, Span?> _spans = [];
    private Dictionary<MethodDefinitionHandle, string>? _suffixes;

    private NestedFunctions(
        MetadataReader reader,
        MetadataReader pdb,
        IReadOnlyDictionary<MethodDefinitionHandle, MethodDefinitionHandle> linesFrom,
        IReadOnlyDictionary<MethodDefinitionHandle, MethodDefinitionHandle> kickoffs)
    {
        _reader = reader;
        _pdb = pdb;
        _linesFrom = linesFrom;
        _kickoffs = kickoffs;
    }

    /// <summary>The lambdas and local functions, in metadata order.</summary>
    public IEnumerable<MethodDefinitionHandle> Functions => _candidates.Keys.OrderBy(h => MetadataTokens.GetToken(h));

    /// <summary>Methods whose IL calls a method of another assembly with a name <c>callsNamed</c> accepts.</summary>
    public HashSet<MethodDefinitionHandle> Callers { get; } = [];

    // linesFrom: for a kickoff method, the MoveNext that holds its lines; kickoffs: the other way round.
    public static NestedFunctions Find(
        MetadataReader reader,
        PEReader peReader,
        MetadataReader pdb,
        IReadOnlyDictionary<MethodDefinitionHandle, MethodDefinitionHandle> linesFrom,
        IReadOnlyDictionary<MethodDefinitionHandle, MethodDefinitionHandle> kickoffs,
        Func<string, bool> callsNamed)
    {
        var found = new NestedFunctions(reader, pdb, linesFrom, kickoffs);
        foreach (var handle in reader.MethodDefinitions)
        {
            if (Classify(reader, handle) is { } candidate)
            {
                found._candidates[handle] = candidate;
            }
        }

        foreach (var handle in reader.MethodDefinitions)
        {
            var method = reader.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress == 0)
            {
                continue;
            }

            var caller = found.Normalize(handle);
            foreach (var instruction in IlDecoder.Decode(peReader.GetMethodBody(method.RelativeVirtualAddress)))
            {
                if (instruction.OpCode.OperandType != OperandType.InlineMethod)
                {
                    continue;
                }

                var token = MetadataTokens.EntityHandle(instruction.Token);
                if (MethodResolver.Resolve(reader, token) is { } target)
                {
                    if (target != caller && found._candidates.ContainsKey(target))
                    {
                        found.AddReferencer(target, caller);
                    }
                }
                else if (MethodResolver.ExternalName(reader, token) is { } name && callsNamed(name))
                {
                    found.Callers.Add(handle);
                }
            }
        }

        return found;
    }

    public bool IsNested(MethodDefinitionHandle handle) => _candidates.ContainsKey(handle);

    /// <summary>
    /// The member a nested function belongs to and its path there (<c>=&gt;0</c>, <c>=&gt;1=&gt;Local</c>), or
    /// false when its place cannot be told.
    /// </summary>
    public bool TryLocate(MethodDefinitionHandle handle, out MethodDefinitionHandle member, out string path)
    {
        _suffixes ??= AssignSuffixes();
        var segments = new List<string>();
        var current = handle;
        var seen = new HashSet<MethodDefinitionHandle>();
        while (_candidates.ContainsKey(current))
        {
            if (!seen.Add(current) || Parent(current) is not { } parent || !_suffixes.TryGetValue(current, out var suffix))
            {
                member = default;
                path = "";
                return false;
            }

            segments.Add(suffix);
            current = parent;
        }

        segments.Reverse();
        member = current;
        path = string.Concat(segments.Select(s => "=>" + s));
        return true;
    }

    private static Candidate? Classify(MetadataReader reader, MethodDefinitionHandle handle)
    {
        var method = reader.GetMethodDefinition(handle);
        if (method.RelativeVirtualAddress == 0 || !reader.StringComparer.StartsWith(method.Name, "<"))
        {
            return null;
        }

        var name = reader.GetString(method.Name);
        var tail = name[(name.LastIndexOf('>') + 1)..];
        if (tail.StartsWith("b__", StringComparison.Ordinal))
        {
            return new Candidate(null);
        }

        if (tail.StartsWith("g__", StringComparison.Ordinal) && tail.IndexOf('|', StringComparison.Ordinal) is > 3 and var bar)
        {
            return new Candidate(tail[3..bar]);
        }

        return null;
    }

    private MethodDefinitionHandle Normalize(MethodDefinitionHandle handle) =>
        _kickoffs.TryGetValue(handle, out var kickoff) ? kickoff : handle;

    private void AddReferencer(MethodDefinitionHandle target, MethodDefinitionHandle caller)
    {
        if (!_referencers.TryGetValue(target, out var callers))
        {
            callers = [];
            _referencers[target] = callers;
        }

        if (!callers.Contains(caller))
        {
            callers.Add(caller);
        }
    }

    private MethodDefinitionHandle? Parent(MethodDefinitionHandle handle)
    {
        if (_parents.TryGetValue(handle, out var known))
        {
            return known;
        }

        if (!_resolving.Add(handle))
        {
            return null;
        }

        var parent = (_candidates[handle].LocalName is null ? LambdaParent(handle) : LocalFunctionParent(handle)) ?? EnclosingByLines(handle);
        _resolving.Remove(handle);
        _parents[handle] = parent;
        return parent;
    }

    private MethodDefinitionHandle? LambdaParent(MethodDefinitionHandle handle) =>
        _referencers.TryGetValue(handle, out var callers) ? callers.MinBy(h => MetadataTokens.GetToken(h)) : null;

    private MethodDefinitionHandle? LocalFunctionParent(MethodDefinitionHandle handle)
    {
        if (!_referencers.TryGetValue(handle, out var callers) || SpanOf(handle) is not { } own)
        {
            return null;
        }

        foreach (var caller in callers.OrderBy(h => MetadataTokens.GetToken(h)))
        {
            var chain = Ancestors(caller);
            if (chain is null || chain.Contains(handle))
            {
                // A call from inside the function itself (recursion, or a lambda of its own) says nothing of its place.
                continue;
            }

            foreach (var scope in chain)
            {
                if (SpanOf(scope) is { } span && span.Contains(own))
                {
                    return scope;
                }
            }

            return chain[^1];
        }

        return null;
    }

    // A function nothing refers to (an optimizing build drops the creation of a delegate that is never used, but
    // keeps its method): placed in the innermost function of the same member whose lines contain its own.
    private MethodDefinitionHandle? EnclosingByLines(MethodDefinitionHandle handle)
    {
        if (SpanOf(handle) is not { } own)
        {
            return null;
        }

        var memberName = MemberName(handle);
        var outer = OuterType(_reader.GetMethodDefinition(handle).GetDeclaringType());
        var scopes = _reader.GetTypeDefinition(outer).GetMethods()
            .Where(m => _reader.StringComparer.Equals(_reader.GetMethodDefinition(m).Name, memberName))
            .Concat(_candidates.Keys.Where(c => c != handle && MemberName(c) == memberName && OuterType(_reader.GetMethodDefinition(c).GetDeclaringType()) == outer));
        MethodDefinitionHandle? best = null;
        Span? bestSpan = null;
        foreach (var scope in scopes)
        {
            if (SpanOf(scope) is { } span && span.Contains(own) && (bestSpan is null || bestSpan.Contains(span)))
            {
                best = scope;
                bestSpan = span;
            }
        }

        return best;
    }

    // The member's name in a compiler-made name: M in <M>b__0_1, <Main>$ in <<Main>$>b__0_0.
    private string MemberName(MethodDefinitionHandle handle)
    {
        var name = _reader.GetString(_reader.GetMethodDefinition(handle).Name);
        return name[1..name.LastIndexOf('>')];
    }

    private TypeDefinitionHandle OuterType(TypeDefinitionHandle type)
    {
        while (_reader.GetTypeDefinition(type) is var definition && _reader.StringComparer.StartsWith(definition.Name, "<") && !definition.GetDeclaringType().IsNil)
        {
            type = definition.GetDeclaringType();
        }

        return type;
    }

    // The caller itself, then its parents up to the member; null when a parent cannot be told.
    private List<MethodDefinitionHandle>? Ancestors(MethodDefinitionHandle caller)
    {
        var chain = new List<MethodDefinitionHandle> { caller };
        var current = caller;
        while (_candidates.ContainsKey(current))
        {
            if (Parent(current) is not { } parent || chain.Contains(parent))
            {
                return null;
            }

            chain.Add(parent);
            current = parent;
        }

        return chain;
    }

    private Dictionary<MethodDefinitionHandle, string> AssignSuffixes()
    {
        var suffixes = new Dictionary<MethodDefinitionHandle, string>();
        var lambdasByParent = new Dictionary<MethodDefinitionHandle, List<MethodDefinitionHandle>>();
        foreach (var (handle, candidate) in _candidates)
        {
            if (candidate.LocalName is { } name)
            {
                suffixes[handle] = name;
            }
            else if (Parent(handle) is { } parent)
            {
                if (!lambdasByParent.TryGetValue(parent, out var siblings))
                {
                    siblings = [];
                    lambdasByParent[parent] = siblings;
                }

                siblings.Add(handle);
            }
        }

        foreach (var siblings in lambdasByParent.Values)
        {
            var ordered = siblings
                .OrderBy(h => SpanOf(h)?.Document ?? int.MaxValue)
                .ThenBy(h => SpanOf(h)?.StartLine ?? int.MaxValue)
                .ThenBy(h => SpanOf(h)?.StartColumn ?? int.MaxValue)
                .ThenBy(h => MetadataTokens.GetToken(h))
                .ToList();
            for (var i = 0; i < ordered.Count; i++)
            {
                suffixes[ordered[i]] = i.ToString(CultureInfo.InvariantCulture);
            }
        }

        return suffixes;
    }

    // The lines of a method from its first sequence point to its last, in the first one's document.
    private Span? SpanOf(MethodDefinitionHandle handle)
    {
        if (_spans.TryGetValue(handle, out var known))
        {
            return known;
        }

        var linesFrom = _linesFrom.TryGetValue(handle, out var moveNext) ? moveNext : handle;
        var debug = _pdb.GetMethodDebugInformation(linesFrom.ToDebugInformationHandle());
        Span? span = null;
        if (!debug.SequencePointsBlob.IsNil)
        {
            foreach (var point in debug.GetSequencePoints())
            {
                if (point.IsHidden)
                {
                    continue;
                }

                var document = MetadataTokens.GetRowNumber(point.Document);
                if (span is null)
                {
                    span = new Span(document, point.StartLine, point.StartColumn, point.EndLine, point.EndColumn);
                }
                else if (span.Document == document)
                {
                    span = span.Extend(point);
                }
            }
        }

        _spans[handle] = span;
        return span;
    }

    private sealed record Candidate(string? LocalName);

    private sealed record Span(int Document, int StartLine, int StartColumn, int EndLine, int EndColumn)
    {
        public bool Contains(Span other) =>
            Document == other.Document &&
            (StartLine, StartColumn).CompareTo((other.StartLine, other.StartColumn)) <= 0 &&
            (EndLine, EndColumn).CompareTo((other.StartLine, other.StartColumn)) >= 0;

        public Span Extend(SequencePoint point)
        {
            var (startLine, startColumn) = Min((StartLine, StartColumn), (point.StartLine, point.StartColumn));
            var (endLine, endColumn) = Max((EndLine, EndColumn), (point.EndLine, point.EndColumn));
            return this with { StartLine = startLine, StartColumn = startColumn, EndLine = endLine, EndColumn = endColumn };
        }

        private static (int, int) Min((int, int) a, (int, int) b) => a.CompareTo(b) <= 0 ? a : b;

        private static (int, int) Max((int, int) a, (int, int) b) => a.CompareTo(b) >= 0 ? a : b;
    }
}
