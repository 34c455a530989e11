namespace Coldmod.Runtime.Internal;

// A key cut where documentation comment IDs repeat: "Shop.Orders.OrderService." (the type, with its dot) + "Cancel" +
// "(System.Int32)" (parameters, and a conversion's "~Return") + "=>1" (the nested function's suffix, if any). Any cut
// concatenates back to the key exactly; this one lets the srcs table store each type, parameter list and suffix once.
internal readonly struct KeyParts
{
    private const string NestedSeparator = "=>";

    private KeyParts(string type, string member, string parameters, string nested)
    {
        Type = type;
        Member = member;
        Parameters = parameters;
        Nested = nested;
    }

    public string Type { get; }

    public string Member { get; }

    public string Parameters { get; }

    public string Nested { get; }

    public static KeyParts Of(string key)
    {
        var nestedAt = key.IndexOf(NestedSeparator, StringComparison.Ordinal);
        if (nestedAt < 0)
        {
            nestedAt = key.Length;
        }

        var parametersAt = key.IndexOf('(', 0, nestedAt);
        if (parametersAt < 0)
        {
            parametersAt = nestedAt;
        }

        var memberAt = parametersAt == 0 ? 0 : key.LastIndexOf('.', parametersAt - 1) + 1;
        return new KeyParts(
            key.Substring(0, memberAt),
            key.Substring(memberAt, parametersAt - memberAt),
            key.Substring(parametersAt, nestedAt - parametersAt),
            key.Substring(nestedAt));
    }

    public static string Join(string type, string member, string parameters, string nested) =>
        string.Concat(type, member, parameters, nested);
}
