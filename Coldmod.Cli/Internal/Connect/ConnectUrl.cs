namespace Coldmod.Cli.Internal.Connect;

// The session a `coldmod connect URL` joins: the ID at the end of a /connect/ID page URL, or the ID itself.
internal static class ConnectUrl
{
    private const int IdLength = 22;

    // Empty for no URL: the server opens a new session.
    public static string SessionId(string? url)
    {
        if (url is null)
        {
            return "";
        }

        var text = url.Trim();
        var id = text;
        if (text.Contains("://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                throw Bad(url, "it is not an http(s) URL");
            }

            var segments = uri.AbsolutePath.Trim('/').Split('/');
            if (segments is not ["connect", var last])
            {
                throw Bad(url, "its path is not /connect/ID");
            }

            id = last;
        }

        if (id.Length != IdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw Bad(url, $"the session ID must be {IdLength} characters of A-Z a-z 0-9 - _");
        }

        return id;
    }

    private static UsageException Bad(string url, string why) =>
        new($"'{url}' is not a connect session: {why}. Give the page's URL (http(s)://HOST/connect/ID), its ID, or nothing for a new session.");
}
