using System.Runtime.CompilerServices;

// Types in the global namespace: their documentation IDs have no namespace part.

internal static class ShopModule
{
    private static int s_initialized;

    public static bool Initialized => s_initialized > 0;

    [ModuleInitializer]
    internal static void Initialize() => s_initialized++;
}

public sealed class ShopInfo
{
    private readonly string _product = "Shop";
    private readonly System.Version _version = new(1, 4, 2);

    public override string ToString() => $"{_product} {_version}";
}
