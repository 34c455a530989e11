using System.Net.Http.Headers;
using System.Text;
using Coldmod.Server.Internal.Configuration;
using Coldmod.Server.Internal.Services;
using Microsoft.Extensions.Options;

namespace Coldmod.Server.Internal.Web;

// Basic auth for the web port (DESIGN.md): user "coldmod", password the API key.
internal sealed class BasicAuthFilter(IOptions<ServerOptions> options) : IEndpointFilter
{
    public const string Challenge = "Basic realm=\"coldmod\", charset=\"UTF-8\"";

    private const string User = "coldmod";

    private readonly bool _open = options.Value.IsInsecure;
    private readonly ApiKeyCheck _check = new(options.Value.ApiKey);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (_open || Accepts(context.HttpContext.Request.Headers.Authorization.ToString(), _check))
        {
            return await next(context);
        }

        context.HttpContext.Response.Headers.WWWAuthenticate = Challenge;
        return TypedResults.Unauthorized();
    }

    // Also the check of WebSecurity, which puts every page, asset and live connection behind the same password.
    public static bool Accepts(string header, ApiKeyCheck check)
    {
        if (!AuthenticationHeaderValue.TryParse(header, out var value)
            || !string.Equals(value.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || value.Parameter is null)
        {
            return false;
        }

        string credentials;
        try
        {
            credentials = Encoding.UTF8.GetString(Convert.FromBase64String(value.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = credentials.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && credentials[..colon] == User && check.Matches(credentials[(colon + 1)..]);
    }
}
