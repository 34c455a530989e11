using Coldmod.Server.Internal.Configuration;
using Coldmod.Server.Internal.Services;
using Microsoft.Extensions.Options;

namespace Coldmod.Server.Internal.Web;

// Every web response gets the security headers. Unless insecure, every web request except /healthz needs the basic
// auth password (pages, assets, downloads and the live connection alike), and the live connection and any request
// that could change state must come from the page's own origin: a browser sends the cached password along with a
// request that another site's page makes, so the password alone does not stop cross-site use.
internal static class WebSecurity
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; "
        + "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public static IApplicationBuilder UseWebSecurity(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<ServerOptions>>().Value;
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(WebSecurity));
        var check = options.IsInsecure ? null : new ApiKeyCheck(options.ApiKey);
        return app.Use((context, next) =>
        {
            var request = context.Request;
            if (request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true)
            {
                return next(context);
            }

            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";

            if (check is not null && request.Path != "/healthz" && !BasicAuthFilter.Accepts(request.Headers.Authorization.ToString(), check))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                headers.WWWAuthenticate = BasicAuthFilter.Challenge;
                return context.Response.WriteAsync("401: this Coldmod server needs the user coldmod and its API key as the password.\n");
            }

            if (NeedsSameOrigin(request) && request.Headers.Origin.ToString() is { Length: > 0 } origin)
            {
                var expected = $"{request.Scheme}://{request.Host}";
                if (!string.Equals(origin, expected, StringComparison.OrdinalIgnoreCase))
                {
                    ServerLog.ForeignOrigin(logger, request.Path, origin, expected);
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return context.Response.WriteAsync($"403: requests from origin {origin} are refused; open the page at {expected}.\n");
                }
            }

            return next(context);
        });
    }

    private static bool NeedsSameOrigin(HttpRequest request) =>
        request.Path.StartsWithSegments("/_blazor") || !(HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method));
}
