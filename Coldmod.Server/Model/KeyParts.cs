namespace Coldmod.Server.Model;

/// <summary>Where a src sits in the heat tree: namespace, type and method from its key; folder and file name from its file.</summary>
/// <param name="Namespace">The key's namespace (with any outer types: the key does not tell them apart).</param>
/// <param name="Type">The key's type.</param>
/// <param name="Method">The method with its parameters.</param>
/// <param name="Folder">The file's folder, <c>.</c> for the root.</param>
/// <param name="FileName">The file's name.</param>
public sealed record KeyParts(string Namespace, string Type, string Method, string Folder, string FileName)
{
    /// <summary>Splits a documentation comment ID (without its prefix) and a root-relative path.</summary>
    public static KeyParts Of(string key, string file)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(file);
        var parameters = key.IndexOf('(', StringComparison.Ordinal);
        var name = parameters < 0 ? key : key[..parameters];
        var methodDot = name.LastIndexOf('.');
        string ns;
        string type;
        string method;
        if (methodDot <= 0)
        {
            (ns, type, method) = ("(global)", "(none)", key);
        }
        else
        {
            var typeDot = name.LastIndexOf('.', methodDot - 1);
            method = key[(methodDot + 1)..];
            (ns, type) = typeDot < 0 ? ("(global)", name[..methodDot]) : (name[..typeDot], name[(typeDot + 1)..methodDot]);
        }

        var slash = file.LastIndexOf('/');
        return new KeyParts(ns, type, method, slash < 0 ? "." : file[..slash], slash < 0 ? file : file[(slash + 1)..]);
    }

    // The two group names of a src in the tree (namespace and type, or folder and file name) as slices of its key or
    // file, split as Of splits them: building a tree of every src then makes a string per group, not five per src.
    internal static void Groups(string key, string file, TreeGrouping grouping, out ReadOnlySpan<char> outer, out ReadOnlySpan<char> inner)
    {
        if (grouping == TreeGrouping.Folder)
        {
            var slash = file.LastIndexOf('/');
            outer = slash < 0 ? "." : file.AsSpan(0, slash);
            inner = slash < 0 ? file : file.AsSpan(slash + 1);
            return;
        }

        var parameters = key.IndexOf('(', StringComparison.Ordinal);
        var name = parameters < 0 ? key.AsSpan() : key.AsSpan(0, parameters);
        var methodDot = name.LastIndexOf('.');
        if (methodDot <= 0)
        {
            outer = "(global)";
            inner = "(none)";
            return;
        }

        var typeDot = name[..methodDot].LastIndexOf('.');
        outer = typeDot < 0 ? "(global)" : name[..typeDot];
        inner = typeDot < 0 ? name[..methodDot] : name[(typeDot + 1)..methodDot];
    }
}
