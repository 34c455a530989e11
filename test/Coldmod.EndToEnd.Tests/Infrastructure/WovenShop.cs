namespace Coldmod.EndToEnd.Tests.Infrastructure;

/// <summary>A woven Release build of the sample and the output of the build that wove it.</summary>
public sealed record WovenShop(ShopWorkspace Workspace, ProcessResult Build)
{
    public static async Task<WovenShop> BuildAsync(PackagedColdmod coldmod)
    {
        var workspace = coldmod.CreateShop("woven");
        var build = (await workspace.BuildAsync()).EnsureSuccess();
        return new WovenShop(workspace, build);
    }
}
