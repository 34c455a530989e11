using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using Coldmod.Cli.Codemods;
using Coldmod.Cli.Commands;
using Coldmod.Cli.Options;
using Coldmod.Weaver;
using Coldmod.Weaver.Internal;

namespace Coldmod.Cli.Internal.Connect;

// Reads the inventory of the checkout: its build's srcs as `srcs` lists them, the references `rm` would mark for each,
// and whether the build is stale by the test `rm` makes before editing (every source file the PDBs name still has the
// checksum the compiler recorded).
internal sealed class CheckoutReader(BuildOptions options, CommandContext context)
{
    private readonly LocalBuilds _builds = LocalBuilds.FromOptions(options, context);

    public CheckoutInventory Read()
    {
        var local = _builds.Read();
        var watched = new List<string> { local.Root.FilePath };
        watched.AddRange(local.Scans.Select(s => s.AssemblyPath));
        using var assemblies = new BuildSet(local.Root, local.SourceRoots, local.Scans.Select(s => s.AssemblyPath));
        var references = CountReferences(local, assemblies);
        var declarations = DeclarationLines(local, assemblies);
        var keys = local.Srcs
            .DistinctBy(s => s.Key)
            .Select(s => new InventoryKey(s.Key, s.File, declarations.GetValueOrDefault(s.Key, s.Line), references.GetValueOrDefault(s.Key)))
            .ToList();
        var stale = Staleness(local.Root, assemblies, watched);
        return new CheckoutInventory(keys, stale, watched);
    }

    // A build that cannot be read is an inventory with no keys, stale for that reason, so the page says why.
    public CheckoutInventory ReadOrExplain()
    {
        try
        {
            return Read();
        }
        catch (ColdmodException e)
        {
            return Unreadable(e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or InvalidDataException)
        {
            // Most likely a build writing its outputs right now; the next poll reads it once it is done.
            return Unreadable($"the build cannot be read ({e.Message})");
        }
    }

    private CheckoutInventory Unreadable(string why)
    {
        var root = TryFindRoot();
        return new CheckoutInventory([], why, root is null ? [] : [root.FilePath]);
    }

    private RootMarker? TryFindRoot()
    {
        try
        {
            return RootMarker.Find(context.WorkingDirectory);
        }
        catch (ColdmodException)
        {
            return null;
        }
    }

    // One count per calling statement: a multi-targeted project compiles each call once per target framework.
    private static Dictionary<string, int> CountReferences(LocalSrcs local, BuildSet assemblies)
    {
        var ids = new Dictionary<(string Assembly, string Id), string>();
        foreach (var scan in local.Scans)
        {
            var assembly = assemblies.Get(scan.AssemblyPath);
            foreach (var src in scan.Srcs)
            {
                if (Handle(src) is { } handle)
                {
                    ids[(assembly.Name, MethodKeys.For(assembly.Metadata, handle))] = src.Key;
                }
            }
        }

        return ReferenceFinder.Find(assemblies.All, ids)
            .DistinctBy(r => (r.Key, r.Caller, r.Point?.Document.LocalPath, r.Point?.StartLine, r.Point?.StartColumn))
            .GroupBy(r => r.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    // The line each declaration starts on, as `rm` reports it; a src's own line is its first statement's. A file that
    // changed since the build, and a lambda (which has no declaration of its own), keep the src's line.
    private static Dictionary<string, int> DeclarationLines(LocalSrcs local, BuildSet assemblies)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        var files = new Dictionary<string, SourceFile?>(StringComparer.Ordinal);
        var ignoredProblems = new List<string>();
        foreach (var scan in local.Scans)
        {
            var assembly = assemblies.Get(scan.AssemblyPath);
            foreach (var src in scan.Srcs)
            {
                if (lines.ContainsKey(src.Key) || Handle(src) is not { } handle)
                {
                    continue;
                }

                var method = BuiltMethodLocator.Describe(src.Key, assembly, handle);
                if (method.Points.Count == 0)
                {
                    continue;
                }

                var document = method.Points[0].Document;
                if (!files.TryGetValue(document.LocalPath, out var file))
                {
                    files[document.LocalPath] = file = SourceFile.Read(document, document.LocalPath, ignoredProblems);
                }

                if (file is not null && DeclarationLocator.Locate(method, file, out _) is { } node)
                {
                    lines[src.Key] = file.Text.Lines.GetLineFromPosition(node.SpanStart).LineNumber + 1;
                }
            }
        }

        return lines;
    }

    private static MethodDefinitionHandle? Handle(TraceSrc src) =>
        src.MethodToken != 0 && MetadataTokens.EntityHandle(src.MethodToken) is { Kind: HandleKind.MethodDefinition } handle
            ? (MethodDefinitionHandle)handle
            : null;

    private static string Staleness(RootMarker root, BuildSet assemblies, List<string> watched)
    {
        var changed = new List<(string Assembly, string File)>();
        foreach (var assembly in assemblies.All)
        {
            foreach (var document in assembly.Documents())
            {
                if (root.ToRelativePath(document.LocalPath) is not { } file)
                {
                    continue;
                }

                watched.Add(document.LocalPath);
                byte[] bytes;
                try
                {
                    bytes = File.ReadAllBytes(document.LocalPath);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    changed.Add((Shown(root, assembly.Path), file + " (gone or unreadable)"));
                    continue;
                }

                // A checksum the CLI cannot compute (an old compiler's) says nothing either way; `rm` refuses those itself.
                if (SourceFile.CanCheck(document) && !SourceFile.Matches(document, bytes))
                {
                    changed.Add((Shown(root, assembly.Path), file));
                }
            }
        }

        if (changed.Count == 0)
        {
            return "";
        }

        var first = changed[0];
        var more = changed.Select(c => c.File).Distinct(StringComparer.Ordinal).Count() - 1;
        return $"{first.Assembly} is older than {first.File.Replace('\\', '/')}{(more > 0 ? $" and {Plural.Count(more, "other file")}" : "")}: the sources changed since the build; build again (dotnet build), then retry";
    }

    private static string Shown(RootMarker root, string path) => (root.ToRelativePath(path) ?? path).Replace('\\', '/');
}
