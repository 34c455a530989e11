namespace Coldmod.Server.Model;

/// <summary>A namespace, type, folder, file or method of the heat tree, with the cold srcs under it.</summary>
public sealed class HeatTreeNode
{
    private readonly Dictionary<string, HeatTreeNode>? _groups;
    private readonly List<HeatEntry>? _entries;
    private List<HeatTreeNode>? _children;

    private HeatTreeNode(string name, string path, HeatEntry? entry, int depth)
    {
        Name = name;
        Path = path;
        Entry = entry;
        Depth = depth;
        if (depth < 2)
        {
            _groups = new Dictionary<string, HeatTreeNode>(StringComparer.Ordinal);
        }
        else if (depth == 2)
        {
            _entries = [];
        }
    }

    /// <summary>The node's own name (a namespace, a type, a folder, a file, or a method with its parameters).</summary>
    public string Name { get; }

    /// <summary>Unique in its tree, and the same for the same node in the next tree: expanded nodes are kept by it.</summary>
    public string Path { get; }

    /// <summary>The src of a method node; null for the others.</summary>
    public HeatEntry? Entry { get; }

    /// <summary>0 for the root, 1 for a namespace or folder, 2 for a type or file, 3 for a method.</summary>
    public int Depth { get; }

    /// <summary>Srcs under this node that were never called.</summary>
    public int Cold { get; private set; }

    /// <summary>Srcs under this node.</summary>
    public int Total { get; private set; }

    /// <summary>Calls counted under this node.</summary>
    public long Hits { get; private set; }

    /// <summary>Fraction of the srcs under this node that are cold, from 0 to 1.</summary>
    public double ColdFraction => Total == 0 ? 0 : (double)Cold / Total;

    /// <summary>Children, most cold first. A type's or file's methods are made when first asked for: only expanded nodes pay for them.</summary>
    public IReadOnlyList<HeatTreeNode> Children => _children ??= MakeChildren();

    internal static HeatTreeNode Root() => new("", "", null, 0);

    internal HeatTreeNode Group(ReadOnlySpan<char> name)
    {
        var groups = _groups!.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!groups.TryGetValue(name, out var node))
        {
            var text = name.ToString();
            node = new HeatTreeNode(text, Depth == 0 ? text : $"{Path}\u001f{text}", null, Depth + 1);
            _groups.Add(text, node);
        }

        return node;
    }

    internal void Count(HeatEntry entry)
    {
        Total++;
        Hits = Hits > long.MaxValue - entry.Count ? long.MaxValue : Hits + entry.Count;
        if (entry.Count == 0)
        {
            Cold++;
        }

        _entries?.Add(entry);
    }

    private List<HeatTreeNode> MakeChildren()
    {
        List<HeatTreeNode> children;
        if (_groups is not null)
        {
            children = [.. _groups.Values];
        }
        else if (_entries is not null)
        {
            children = new List<HeatTreeNode>(_entries.Count);
            foreach (var entry in _entries)
            {
                var method = new HeatTreeNode(entry.Parts.Method, $"{Path}\u001f{entry.Key}", entry, Depth + 1);
                method.Count(entry);
                children.Add(method);
            }
        }
        else
        {
            return [];
        }

        children.Sort(static (a, b) =>
        {
            var byCold = b.Cold.CompareTo(a.Cold);
            if (byCold != 0)
            {
                return byCold;
            }

            var byFraction = b.ColdFraction.CompareTo(a.ColdFraction);
            return byFraction != 0 ? byFraction : string.CompareOrdinal(a.Name, b.Name);
        });
        return children;
    }
}
