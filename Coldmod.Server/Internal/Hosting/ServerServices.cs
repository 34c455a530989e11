using Coldmod.Server.Internal.Configuration;
using Coldmod.Server.Internal.Connect;
using Coldmod.Server.Internal.Services;
using Coldmod.Server.Internal.Store;
using Coldmod.Server.Internal.Web;
using Coldmod.Server.Model;
using Grpc.AspNetCore.Server;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Coldmod.Server.Internal.Hosting;

internal static class ServerServices
{
    public static IServiceCollection AddColdmodServer(this IServiceCollection services)
    {
        services.AddSingleton<IConfigureOptions<ServerOptions>, ServerOptionsSetup>();
        services.AddSingleton<IValidateOptions<ServerOptions>, ServerOptionsValidator>();
        services.AddOptions<ServerOptions>().ValidateOnStart();
        services.AddSingleton<IConfigureOptions<LoggerFilterOptions>, LoggingDefaults>();

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<HeatChanges>();
        services.AddSingleton<StoreWriter>();
        services.AddSingleton<StoreReader>();
        services.AddSingleton<IHeatmapStore>(StoreFactory.Create);
        services.AddHostedService<StoreLifetime>();
        services.AddOptions<ConnectOptions>();
        services.AddSingleton<ConnectSessions>();
        services.AddSingleton<HeatViewQueries>();
        services.AddOptions<HeatmapViewOptions>();
        services.AddSingleton<HeatmapViewService>();
        services.AddSingleton<IHeatmapView>(provider => provider.GetRequiredService<HeatmapViewService>());
        services.AddHostedService(provider => provider.GetRequiredService<HeatmapViewService>());
        services.AddSingleton<ApiKeyInterceptor>();

        services.AddGrpc();
        // Read from configuration, not IOptions<ServerOptions>: mapping the services resolves these
        // options before the start-up validation, whose message should be the one a user sees.
        services.AddOptions<GrpcServiceOptions>().Configure<IConfiguration>((grpc, configuration) =>
        {
            var settings = ServerOptionsSetup.Read(configuration);
            grpc.MaxReceiveMessageSize = settings.MaxMessageSizeBytes;
            if (!settings.IsInsecure)
            {
                grpc.Interceptors.Add<ApiKeyInterceptor>();
            }
        });
        return services;
    }
}
