using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Coldmod.Server.Internal.Hosting;

// A gRPC call on the web port, or a web request on the gRPC port, gets 404 (a gRPC client sees
// UNIMPLEMENTED). Connections that carry no tag (an in-process TestServer) are not filtered.
internal static class ListenerSeparation
{
    public const string Grpc = "grpc";
    public const string Web = "web";

    private const string TagKey = "coldmod.listener";

    public static void Tag(ListenOptions listen, string listener) => listen.Use(next => connection =>
    {
        connection.Items[TagKey] = listener;
        return next(connection);
    });

    public static IApplicationBuilder UseListenerSeparation(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var items = context.Features.Get<IConnectionItemsFeature>()?.Items;
        if (items is not null && items.TryGetValue(TagKey, out var listener))
        {
            var isGrpc = context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
            if (isGrpc != Equals(listener, Grpc))
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            }
        }

        return next(context);
    });
}
