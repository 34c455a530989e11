using System.Globalization;
using StackExchange.Redis;

namespace Coldmod.Server.Internal.Configuration;

// redis://[user:password@]host:port[,host:port…][/db] or rediss://… (TLS). Several hosts are one primary and its
// replicas: StackExchange.Redis connects to those that answer and sends writes to whichever is the primary, so when a
// replica is promoted (Sentinel, or REPLICAOF NO ONE) the store follows it. COLDMOD_REDIS_USER /
// COLDMOD_REDIS_PASSWORD override the URL's, so that a password need not sit in the URL. Problems never echo the
// URL: it may carry a password.
internal static class RedisLocation
{
    public const string UserVariable = "COLDMOD_REDIS_USER";
    public const string PasswordVariable = "COLDMOD_REDIS_PASSWORD";
    public const int DefaultPort = 6379;

    private const string Usage = "use redis://host:port[,host:port…][/db], for example redis://127.0.0.1:6379/0";

    public static bool TryParse(string value, string? user, string? password, out ConfigurationOptions options, out string problem)
    {
        options = new ConfigurationOptions();
        var scheme = value.IndexOf("://", StringComparison.Ordinal);
        var rest = scheme < 0 ? "" : value[(scheme + 3)..];
        var at = rest.LastIndexOf('@');
        var userInfo = at < 0 ? "" : rest[..at];
        var hostsAndPath = at < 0 ? rest : rest[(at + 1)..];
        var slash = hostsAndPath.IndexOf('/', StringComparison.Ordinal);
        var hosts = slash < 0 ? hostsAndPath : hostsAndPath[..slash];
        var path = slash < 0 ? "" : hostsAndPath[(slash + 1)..].Trim('/');
        if (hosts.Length == 0)
        {
            problem = $"the Redis URL names no host; {Usage}";
            return false;
        }

        foreach (var host in hosts.Split(','))
        {
            if (!TryEndPoint(host.Trim(), out var name, out var port))
            {
                problem = $"'{host.Trim()}' in the Redis URL is not host:port; {Usage}";
                return false;
            }

            options.EndPoints.Add(name, port);
        }

        var database = 0;
        if (path.Length > 0 && (!int.TryParse(path, NumberStyles.None, CultureInfo.InvariantCulture, out database) || database > 15))
        {
            problem = $"'/{path}' is not a Redis database number (0-15); use redis://host:port[/db]";
            return false;
        }

        if (userInfo.Length > 0)
        {
            var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
            var urlUser = Uri.UnescapeDataString(colon < 0 ? "" : userInfo[..colon]);
            var urlPassword = Uri.UnescapeDataString(colon < 0 ? userInfo : userInfo[(colon + 1)..]);
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

        options.DefaultDatabase = database;
        options.Ssl = value.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase);
        options.AbortOnConnectFail = true;
        options.ConnectRetry = 1;
        options.ConnectTimeout = 5000;
        options.ClientName = "coldmod";
        problem = "";
        return true;
    }

    // host, host:port, [v6], [v6]:port.
    private static bool TryEndPoint(string text, out string host, out int port)
    {
        port = DefaultPort;
        string portText;
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            host = close < 0 ? "" : text[1..close];
            portText = close < 0 ? "" : text[(close + 1)..];
        }
        else
        {
            var colon = text.LastIndexOf(':');
            host = colon < 0 ? text : text[..colon];
            portText = colon < 0 ? "" : text[colon..];
        }

        if (host.Length == 0 || (host.Contains(':', StringComparison.Ordinal) && !text.StartsWith('[')))
        {
            return false;
        }

        if (portText.Length == 0)
        {
            return true;
        }

        return portText[0] == ':' && int.TryParse(portText.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is > 0 and <= 65535;
    }

    // host:port[,host:port…] for messages: never the user or password.
    public static string Describe(ConfigurationOptions options) =>
        options.EndPoints.Count == 0 ? "?" : string.Join(',', options.EndPoints.Select(endPoint => endPoint switch
        {
            System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
            var other => other.ToString() ?? "?",
        }));
}
