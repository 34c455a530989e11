using System.Globalization;
using StackExchange.Redis;

namespace Coldmod.Server.Internal.Configuration;

// redis://[user:password@]host:port[/db] or rediss://… (TLS). COLDMOD_REDIS_USER / COLDMOD_REDIS_PASSWORD override
// the URL's, so that a password need not sit in the URL. Problems never echo the URL: it may carry a password.
internal static class RedisLocation
{
    public const string UserVariable = "COLDMOD_REDIS_USER";
    public const string PasswordVariable = "COLDMOD_REDIS_PASSWORD";
    public const int DefaultPort = 6379;

    public static bool TryParse(string value, string? user, string? password, out ConfigurationOptions options, out string problem)
    {
        options = new ConfigurationOptions();
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            problem = "the Redis URL names no host; use redis://host:port[/db], for example redis://127.0.0.1:6379/0";
            return false;
        }

        var tls = string.Equals(uri.Scheme, "rediss", StringComparison.OrdinalIgnoreCase);
        var port = uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port;
        var path = uri.AbsolutePath.Trim('/');
        var database = 0;
        if (path.Length > 0 && (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out database) || database > 15))
        {
            problem = $"'/{path}' is not a Redis database number (0-15); use redis://host:port[/db]";
            return false;
        }

        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var urlUser = Uri.UnescapeDataString(colon < 0 ? "" : uri.UserInfo[..colon]);
            var urlPassword = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[(colon + 1)..]);
            options.User = urlUser.Length > 0 ? urlUser : null;
            options.Password = urlPassword.Length > 0 ? urlPassword : null;
        }

        if (!string.IsNullOrEmpty(user))
        {
            options.User = user;
        }

        if (!string.IsNullOrEmpty(password))
        {
            options.Password = password;
        }

        options.EndPoints.Add(uri.Host, port);
        options.DefaultDatabase = database;
        options.Ssl = tls;
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.ConnectTimeout = 5000;
        options.ClientName = "coldmod";
        problem = "";
        return true;
    }

    // host:port for messages: never the user or password.
    public static string Describe(ConfigurationOptions options) =>
        options.EndPoints.Count == 0 ? "?" : options.EndPoints[0] switch
        {
            System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
            var other => other.ToString() ?? "?",
        };
}
