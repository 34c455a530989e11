using Coldmod.Server.Internal.Configuration;
using Microsoft.Extensions.Options;

namespace Coldmod.Server.Internal.Store;

// COLDMOD_STORE picks the store: redis:// or rediss:// is Redis, anything else a SQLite file.
internal static class StoreFactory
{
    public static IHeatmapStore Create(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<ServerOptions>>();
        if (StoreLocation.IsRedis(options.Value.Store))
        {
            return ActivatorUtilities.CreateInstance<RedisHeatmapStore>(services);
        }

        return ActivatorUtilities.CreateInstance<SqliteHeatmapStore>(services);
    }
}
