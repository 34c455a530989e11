namespace Coldmod.Weaver.Internal;

internal static class RouteJoin
{
    /// <summary>Joins a group's prefix and a route as ASP.NET Core does: one slash between them, none doubled.</summary>
    public static string Combine(string prefix, string route, bool leadingSlash)
    {
        string joined;
        if (prefix.Length == 0)
        {
            joined = route;
        }
        else if (route.Length == 0)
        {
            joined = prefix;
        }
        else
        {
            joined = prefix.TrimEnd('/') + "/" + route.TrimStart('/');
        }

        return leadingSlash && !joined.StartsWith('/') ? "/" + joined : joined;
    }
}
