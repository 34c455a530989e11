using Coldmod.Weaver;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Coldmod.Cli.Codemods;

// Works out every edit before any is made: locates each key's declaration, decides what goes (an accessor, or the
// whole property when all its accessors go), finds the references to mark, and collects every reason to refuse.
internal sealed class RemovalPlanner(RootMarker root, IReadOnlyList<SrcScan> scans, BuildSet builds, bool force)
{
    private readonly Dictionary<string, SourceFile?> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SourceFileEditor> _editors = new(StringComparer.Ordinal);
    private readonly RemovalPlan _plan = new();

    public RemovalPlan Plan(IReadOnlyList<string> keys)
    {
        var located = new List<(BuiltMethod Method, SourceFile File, SyntaxNode Node)>();
        foreach (var key in keys)
        {
            var methods = BuiltMethodLocator.Locate(key, scans, builds, _plan.Problems);
            if (methods.Count == 0)
            {
                _plan.Problems.Add($"{key}: not a src of the local builds (keys are spelled as 'coldmod srcs' lists them; ignored keys and files are not srcs).");
                continue;
            }

            var concerns = methods.SelectMany(m => m.Concerns).Concat(AttributeNameFinder.Find(builds.All, methods[0])).Distinct().ToList();
            if (concerns.Count > 0 && !force)
            {
                _plan.Problems.Add($"{key}: refused: {string.Join("; ", concerns)}. Check it is safe, then add --force.");
                continue;
            }

            var nodes = new HashSet<SyntaxNode>();
            foreach (var method in methods)
            {
                if (Locate(method) is { } found)
                {
                    nodes.Add(found.Node);
                    located.Add((method, found.File, found.Node));
                }
            }

            if (nodes.Count > 1)
            {
                _plan.Problems.Add($"{key}: the builds place it in {nodes.Count} different declarations; build again, then try again.");
            }
        }

        var removed = PlanRemovals(located);
        MarkReferences(removed);
        if (_plan.Problems.Count == 0)
        {
            foreach (var editor in _editors.Values.Where(e => e.HasEdits).OrderBy(e => e.File.Path, StringComparer.Ordinal))
            {
                var after = editor.Apply();
                var before = editor.File.Text.ToString();
                _plan.Files.Add(new EditedFile(editor.File.Path, Shown(editor.File.Path), before, after, SourceFile.Encode(editor.File.Encoding, after), editor.MarkerCount));
            }
        }

        return _plan;
    }

    private (SourceFile File, SyntaxNode Node)? Locate(BuiltMethod method)
    {
        var documents = method.Points.Select(p => p.Document).Distinct().ToList();
        if (documents.Count == 0)
        {
            _plan.Problems.Add($"{method.Key}: its build has no source lines for it, so its declaration cannot be located.");
            return null;
        }

        var problems = new List<string>();
        foreach (var document in documents)
        {
            if (root.ToRelativePath(document.LocalPath) is null)
            {
                continue;
            }

            if (File(document) is not { } file)
            {
                return null;
            }

            if (DeclarationLocator.Locate(method, file, out var problem) is { } node)
            {
                return (file, node);
            }

            problems.Add($"in {Shown(file.Path)}, {problem}");
        }

        _plan.Problems.Add($"{method.Key}: its declaration cannot be located exactly ({(problems.Count == 0 ? "its source is outside the root" : string.Join("; ", problems))}); nothing was removed.");
        return null;
    }

    private Dictionary<(string Assembly, string Id), string> PlanRemovals(List<(BuiltMethod Method, SourceFile File, SyntaxNode Node)> located)
    {
        var removedIds = new Dictionary<(string, string), string>();
        var requested = located.Select(l => l.Node).ToHashSet();
        var units = new Dictionary<SyntaxNode, (SourceFile File, SortedSet<string> Keys)>();
        foreach (var (method, file, node) in located)
        {
            removedIds[(method.AssemblyName, method.DocumentationId)] = method.Key;
            var unit = node;
            if (node is AccessorDeclarationSyntax { Parent: AccessorListSyntax list } && list.Parent is BasePropertyDeclarationSyntax property)
            {
                if (list.Accessors.All(requested.Contains))
                {
                    unit = property;
                }
                else if (property is EventDeclarationSyntax)
                {
                    _plan.Problems.Add($"{method.Key}: an event needs both its add and remove accessors; remove both (or the event by hand).");
                    continue;
                }
            }

            if (unit is MethodDeclarationSyntax partial && partial.Modifiers.Any(SyntaxKind.PartialKeyword))
            {
                _plan.Problems.Add($"{method.Key}: a partial method has a declaration and an implementation; remove both by hand.");
                continue;
            }

            if (!units.TryGetValue(unit, out var entry))
            {
                entry = (file, new SortedSet<string>(StringComparer.Ordinal));
                units[unit] = entry;
            }

            entry.Keys.Add(method.Key);
        }

        foreach (var (unit, (file, keys)) in units.OrderBy(u => u.Value.File.Path, StringComparer.Ordinal).ThenBy(u => u.Key.SpanStart))
        {
            var editor = Editor(file);
            var range = editor.Remove(unit, out var problem);
            var line = file.Text.Lines.GetLineFromPosition(unit.SpanStart).LineNumber + 1;
            if (range is null)
            {
                _plan.Problems.Add($"{string.Join(", ", keys)}: refused at {Shown(file.Path)}:{line}: {problem}.");
                continue;
            }

            _plan.Removed.Add(new RemovedMember(string.Join(", ", keys), $"{Shown(file.Path)}:{line}", editor.LinesIn(range.Value)));
        }

        return removedIds;
    }

    private void MarkReferences(Dictionary<(string Assembly, string Id), string> removed)
    {
        if (removed.Count == 0)
        {
            return;
        }

        foreach (var reference in ReferenceFinder.Find(builds.All, removed))
        {
            if (reference.Point is not { } point)
            {
                _plan.Notes.Add($"{reference.Key} is used by {reference.Caller} in {reference.AssemblyPath}, which has no source lines to mark; fix it by hand.");
                continue;
            }

            if (root.ToRelativePath(point.Document.LocalPath) is null)
            {
                _plan.Notes.Add($"{reference.Key} is used at {point.Document.LocalPath}:{point.StartLine}, outside the root; fix it by hand.");
                continue;
            }

            if (File(point.Document) is not { } file)
            {
                continue;
            }

            var line = file.Text.Lines[Math.Clamp(point.StartLine - 1, 0, file.Text.Lines.Count - 1)];
            var position = Math.Min(line.Start + Math.Max(0, point.StartColumn - 1), line.End);
            if (!Editor(file).Mark(position, reference.Key) && !Editor(file).IsRemoved(position))
            {
                _plan.Notes.Add($"{reference.Key} is used at {Shown(file.Path)}:{point.StartLine}, where no statement starts its line to mark; fix it by hand.");
            }
        }
    }

    private SourceFile? File(BuiltDocument document)
    {
        if (!_files.TryGetValue(document.LocalPath, out var file))
        {
            file = SourceFile.Read(document, Shown(document.LocalPath), _plan.Problems);
            if (file is not null && AtomicFileWriter.CannotWrite(file.Path) is { } reason)
            {
                _plan.Problems.Add($"{Shown(file.Path)}: cannot be written ({reason}).");
                file = null;
            }

            _files[document.LocalPath] = file;
        }
        else if (file is not null && !SameBuild(file, document))
        {
            _plan.Problems.Add($"{Shown(document.LocalPath)}: changed since one of the builds (their checksums differ); build every target again, then run coldmod rm.");
            _files[document.LocalPath] = null;
            return null;
        }

        return file;
    }

    private static bool SameBuild(SourceFile file, BuiltDocument document) =>
        SourceFile.Matches(document, file.Bytes);

    private SourceFileEditor Editor(SourceFile file)
    {
        if (!_editors.TryGetValue(file.Path, out var editor))
        {
            editor = new SourceFileEditor(file);
            _editors[file.Path] = editor;
        }

        return editor;
    }

    private string Shown(string path) => root.ToRelativePath(path) ?? path;
}
