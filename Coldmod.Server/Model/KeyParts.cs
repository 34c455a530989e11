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
}
