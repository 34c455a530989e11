using Coldmod.Server.Internal.Services;

namespace Coldmod.Server.Internal.Hosting;

internal static class GrpcEndpoints
{
    public static IEndpointRouteBuilder MapColdmodGrpc(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<TracesService>();
        endpoints.MapGrpcService<OpsService>();
        return endpoints;
    }
}
