using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Coldmod.Cli.Codemods;

// Edits one file through its syntax tree: removes declarations with what belongs to them (attributes, the comments
// and documentation comment directly above, the blank line they leave) and puts a TODO comment above each statement
// that used a removed method. Everything else keeps its bytes: trivia is moved, never rebuilt, and the formatter never runs.
internal sealed class SourceFileEditor(SourceFile file)
{
    private readonly SyntaxNode _root = file.Tree.GetRoot();
    private readonly List<(SyntaxNode Node, TextSpan Range)> _removals = [];
    private readonly Dictionary<SyntaxNode, SortedSet<string>> _markers = [];

    public SourceFile File => file;

    public int MarkerCount { get; private set; }

    public bool HasEdits => _removals.Count > 0 || MarkerCount > 0;

    public bool IsRemoved(int position) => _removals.Any(r => r.Range.Contains(position));

    // The text span removing the node takes away; null (with the problem) when it cannot be removed safely.
    public TextSpan? Remove(SyntaxNode node, out string? problem)
    {
        problem = null;
        if (_removals.FirstOrDefault(r => r.Node == node) is { Node: not null } existing)
        {
            return existing.Range;
        }

        var range = RemovalRange(node);
        problem = DirectiveProblem(range);
        if (problem is not null)
        {
            return null;
        }

        _removals.Add((node, range));
        return range;
    }

    public int LinesIn(TextSpan range) =>
        file.Text.Lines.GetLineFromPosition(range.End).LineNumber - file.Text.Lines.GetLineFromPosition(range.Start).LineNumber;

    // Marks the statement (or, outside statements, the member) holding the position; false when the position is in
    // something removed, which needs no mark.
    public bool Mark(int position, string key)
    {
        if (IsRemoved(position))
        {
            return false;
        }

        var anchor = Anchor(_root.FindToken(position));
        if (anchor is null)
        {
            return false;
        }

        if (!_markers.TryGetValue(anchor, out var keys))
        {
            keys = new SortedSet<string>(StringComparer.Ordinal);
            _markers[anchor] = keys;
        }

        if (!AlreadyMarked(anchor, key) && keys.Add(key))
        {
            MarkerCount++;
        }

        return true;
    }

    public static string MarkerText(string key) => $"// TODO: {key} was removed by coldmod.";

    public string Apply()
    {
        // Tokens are keyed by where they start: the tree edited below is the tracked copy, whose tokens are other objects.
        var leading = new Dictionary<int, SyntaxTriviaList>();
        foreach (var (anchor, keys) in _markers)
        {
            var token = anchor.GetFirstToken(includeZeroWidth: true);
            leading[token.SpanStart] = Filtered(token.LeadingTrivia).AddRange(MarkerTrivia(anchor, keys));
        }

        // The kept part of a removed declaration's leading trivia (a directive, a comment set apart by a blank line)
        // moves onto the first token after it that stays, ahead of that token's own.
        foreach (var (node, _) in _removals.OrderByDescending(r => r.Range.Start))
        {
            var kept = Filtered(node.GetFirstToken(includeZeroWidth: true).LeadingTrivia);
            var next = NextKeptToken(node);
            var rest = leading.TryGetValue(next.SpanStart, out var already) ? already : Filtered(next.LeadingTrivia);
            leading[next.SpanStart] = kept.AddRange(rest);
        }

        var tracked = _root.TrackNodes(_removals.Select(r => r.Node));
        var tokens = leading.Keys.Select(position => tracked.FindToken(position)).ToList();
        var edited = tracked.ReplaceTokens(tokens, (original, _) => original.WithLeadingTrivia(leading[original.SpanStart]));
        var removed = _removals.Select(r => edited.GetCurrentNode(r.Node)!).ToList();
        edited = edited.RemoveNodes(removed, SyntaxRemoveOptions.KeepNoTrivia) ?? edited;
        return edited.ToFullString();
    }

    private SyntaxToken NextKeptToken(SyntaxNode node)
    {
        var next = node.GetLastToken(includeZeroWidth: true).GetNextToken(includeZeroWidth: true);
        while (_removals.FirstOrDefault(r => r.Node.SpanStart == next.SpanStart) is { Node: not null } following)
        {
            next = following.Node.GetLastToken(includeZeroWidth: true).GetNextToken(includeZeroWidth: true);
        }

        return next;
    }

    // The trivia not inside any removed range.
    private SyntaxTriviaList Filtered(SyntaxTriviaList trivia) =>
        new(trivia.Where(t => !_removals.Any(r => r.Range.Contains(t.FullSpan))));

    private IEnumerable<SyntaxTrivia> MarkerTrivia(SyntaxNode anchor, IEnumerable<string> keys)
    {
        var text = file.Text;
        var line = text.Lines.GetLineFromPosition(anchor.SpanStart);
        var indent = text.ToString(TextSpan.FromBounds(line.Start, anchor.SpanStart));
        var endOfLine = LineBreakBefore(line.LineNumber);
        foreach (var key in keys)
        {
            yield return SyntaxFactory.Comment(MarkerText(key));
            yield return SyntaxFactory.EndOfLine(endOfLine);
            if (indent.Length > 0)
            {
                yield return SyntaxFactory.Whitespace(indent);
            }
        }
    }

    private string LineBreakBefore(int lineNumber)
    {
        var lines = file.Text.Lines;
        var candidates = lineNumber > 0 ? [lines[lineNumber - 1], .. lines] : lines.AsEnumerable();
        foreach (var line in candidates)
        {
            if (line.EndIncludingLineBreak > line.End)
            {
                return file.Text.ToString(TextSpan.FromBounds(line.End, line.EndIncludingLineBreak));
            }
        }

        return "\n";
    }

    private static bool AlreadyMarked(SyntaxNode anchor, string key) =>
        anchor.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) && t.ToString() == MarkerText(key));

    // The innermost statement holding the token when it starts its line; when it shares its line with code before it
    // (`a(); b();`), the statement the line starts with; otherwise the closest enclosing statement or member that
    // starts its line (`else if`, an expression-bodied member, a field initializer).
    private SyntaxNode? Anchor(SyntaxToken token)
    {
        var inner = Candidates(token).FirstOrDefault();
        if (inner is null || StartsLine(inner))
        {
            return inner;
        }

        var line = file.Text.Lines.GetLineFromPosition(inner.SpanStart);
        var first = line.Start;
        while (first < line.End && char.IsWhiteSpace(file.Text[first]))
        {
            first++;
        }

        var lineStart = _root.FindToken(first);
        if (Candidates(lineStart).FirstOrDefault(n => n.SpanStart == lineStart.SpanStart) is { } sameLine && sameLine is StatementSyntax)
        {
            return sameLine;
        }

        return Candidates(token).FirstOrDefault(StartsLine);
    }

    private static IEnumerable<SyntaxNode> Candidates(SyntaxToken token)
    {
        foreach (var node in token.Parent?.AncestorsAndSelf() ?? [])
        {
            switch (node)
            {
                case BlockSyntax:
                    continue;
                case StatementSyntax or AccessorDeclarationSyntax:
                    yield return node;
                    break;
                case BaseTypeDeclarationSyntax or BaseNamespaceDeclarationSyntax or CompilationUnitSyntax:
                    yield break;
                case MemberDeclarationSyntax:
                    yield return node;
                    break;
                default:
                    continue;
            }
        }
    }

    private bool StartsLine(SyntaxNode node)
    {
        var line = file.Text.Lines.GetLineFromPosition(node.SpanStart);
        return IsBlank(TextSpan.FromBounds(line.Start, node.SpanStart));
    }

    private TextSpan RemovalRange(SyntaxNode node)
    {
        var text = file.Text;
        var firstLine = text.Lines.GetLineFromPosition(node.SpanStart);
        var lastLine = text.Lines.GetLineFromPosition(node.Span.End);
        var endsLine = node.FullSpan.End == lastLine.EndIncludingLineBreak;
        if (!StartsLine(node) || !endsLine)
        {
            // Shares its line with other code (say, one accessor of `{ get => _x; set => _x = value; }`): only its own text goes.
            return node.FullSpan;
        }

        var start = firstLine.Start;
        var tookBlankLine = false;
        for (var number = firstLine.LineNumber - 1; number >= 0; number--)
        {
            var line = text.Lines[number];
            if (line.Start < node.FullSpan.Start)
            {
                break;
            }

            if (IsCommentLine(line))
            {
                start = line.Start;
                continue;
            }

            if (IsBlank(line.Span))
            {
                start = line.Start;
                tookBlankLine = true;
            }

            break;
        }

        var end = node.FullSpan.End;
        if (!tookBlankLine && lastLine.LineNumber + 1 < text.Lines.Count)
        {
            var next = text.Lines[lastLine.LineNumber + 1];
            if (IsBlank(next.Span) && next.EndIncludingLineBreak > next.End && !IsInsideTrivia(next.Start))
            {
                end = next.EndIncludingLineBreak;
            }
        }

        return TextSpan.FromBounds(start, end);
    }

    // A line of nothing but a comment (a documentation comment's lines included) belongs to the declaration below it.
    private bool IsCommentLine(TextLine line)
    {
        var text = file.Text;
        var first = line.Start;
        while (first < line.End && char.IsWhiteSpace(text[first]))
        {
            first++;
        }

        var probe = first < line.End ? first : line.Start;
        var trivia = _root.FindTrivia(probe);
        var isComment = trivia.Kind() is SyntaxKind.SingleLineCommentTrivia or SyntaxKind.MultiLineCommentTrivia or
            SyntaxKind.SingleLineDocumentationCommentTrivia or SyntaxKind.MultiLineDocumentationCommentTrivia;
        return isComment && (first < line.End || trivia.FullSpan.Start < line.Start) && trivia.FullSpan.End >= line.End;
    }

    private bool IsInsideTrivia(int position)
    {
        var trivia = _root.FindTrivia(position);
        return trivia.FullSpan.Start < position && !trivia.IsKind(SyntaxKind.None);
    }

    private bool IsBlank(TextSpan span)
    {
        for (var i = span.Start; i < span.End; i++)
        {
            if (!char.IsWhiteSpace(file.Text[i]))
            {
                return false;
            }
        }

        return true;
    }

    private static bool BracesBalance(string code)
    {
        var depth = 0;
        foreach (var c in code)
        {
            depth += c == '{' ? 1 : c == '}' ? -1 : 0;
            if (depth < 0)
            {
                return false;
            }
        }

        return depth == 0;
    }

    // #if and #region must open and close inside what is removed; any other directive changes the code after it.
    private string? DirectiveProblem(TextSpan range)
    {
        var open = new Stack<SyntaxKind>();
        foreach (var directive in _root.DescendantTrivia(range, descendIntoTrivia: false).Where(t => t.IsDirective && range.Contains(t.Span)))
        {
            var line = file.Text.Lines.GetLineFromPosition(directive.SpanStart).LineNumber + 1;
            switch (directive.Kind())
            {
                case SyntaxKind.IfDirectiveTrivia:
                case SyntaxKind.RegionDirectiveTrivia:
                    open.Push(directive.Kind());
                    break;
                case SyntaxKind.ElifDirectiveTrivia or SyntaxKind.ElseDirectiveTrivia when open.TryPeek(out var top) && top == SyntaxKind.IfDirectiveTrivia:
                    break;
                case SyntaxKind.EndIfDirectiveTrivia when open.TryPeek(out var top) && top == SyntaxKind.IfDirectiveTrivia:
                case SyntaxKind.EndRegionDirectiveTrivia when open.TryPeek(out var region) && region == SyntaxKind.RegionDirectiveTrivia:
                    open.Pop();
                    break;
                case SyntaxKind.IfDirectiveTrivia or SyntaxKind.ElifDirectiveTrivia or SyntaxKind.ElseDirectiveTrivia or SyntaxKind.EndIfDirectiveTrivia or
                    SyntaxKind.RegionDirectiveTrivia or SyntaxKind.EndRegionDirectiveTrivia:
                    return $"it straddles the {directive.ToString().Trim()} on line {line}; move the directive out of the way or remove the member by hand";
                default:
                    return $"it holds the directive {directive.ToString().Trim()} (line {line}), which affects the code after it; remove the member by hand";
            }
        }

        // Code a build does not compile may close this member and open another (`#if X ... } void Next() { ... #endif`).
        foreach (var disabled in _root.DescendantTrivia(range, descendIntoTrivia: true).Where(t => t.IsKind(SyntaxKind.DisabledTextTrivia) && range.Contains(t.Span)))
        {
            if (!BracesBalance(disabled.ToString()))
            {
                var line = file.Text.Lines.GetLineFromPosition(disabled.SpanStart).LineNumber + 1;
                return $"it straddles an #if boundary: the code the build leaves out at line {line} opens or closes braces of other declarations; remove the member by hand";
            }
        }

        return open.Count == 0 ? null : $"it straddles an #{(open.Peek() == SyntaxKind.IfDirectiveTrivia ? "if" : "region")} that it opens but does not close; remove the member by hand";
    }
}
