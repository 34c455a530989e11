using Coldmod.Weaver.Internal;

namespace Coldmod.Cli.Codemods;

// Finds every use of the removed methods in the IL of the assemblies the checkout builds (calls, object creation,
// delegates and method groups), and places each at its source line through the PDB's sequence points.
internal static class ReferenceFinder
{
    public static List<BuiltReference> Find(IEnumerable<BuiltAssembly> assemblies, IReadOnlyDictionary<(string Assembly, string Id), string> removed)
    {
        var references = new List<BuiltReference>();
        foreach (var assembly in assemblies)
        {
            foreach (var handle in assembly.Metadata.MethodDefinitions)
            {
                var body = assembly.Body(handle);
                if (body is null)
                {
                    continue;
                }

                List<(int Offset, string Key)>? uses = null;
                foreach (var (offset, token) in ILOperands.MethodOperands(body))
                {
                    if (ReferencedKeys.For(assembly, token) is { } target && removed.TryGetValue(target, out var key))
                    {
                        (uses ??= []).Add((offset, key));
                    }
                }

                if (uses is null)
                {
                    continue;
                }

                var points = assembly.SequencePoints(handle);
                var caller = MethodKeys.For(assembly.Metadata, handle);
                foreach (var (offset, key) in uses)
                {
                    references.Add(new BuiltReference(key, assembly.Path, caller, PointAt(points, offset)));
                }
            }
        }

        return references;
    }

    // The statement an instruction belongs to is the last visible sequence point at or before it; compiler-made code
    // with a hidden point takes the closest visible one before it, or after it at the method's start.
    private static SourcePoint? PointAt(IReadOnlyList<(int Offset, SourcePoint? Point)> points, int offset)
    {
        SourcePoint? before = null;
        foreach (var (pointOffset, point) in points)
        {
            if (pointOffset > offset)
            {
                return before ?? points.FirstOrDefault(p => p.Offset > offset && p.Point is not null).Point;
            }

            if (point is not null)
            {
                before = point;
            }
        }

        return before;
    }
}
