using System.Globalization;
using System.Reflection;

namespace Coldmod.Runtime.Internal.Sending;

internal sealed record SenderSettings(Uri Address, string App, bool Insecure, string? ApiKey, string? TlsCaFile, TimeSpan FlushInterval,
    string? VersionLabel = null, IReadOnlyList<Uri>? Hosts = null)
{
    // Every server the sender may report to, in the order it tries them: Address first.
    public IReadOnlyList<Uri> Addresses => Hosts is { Count: > 0 } hosts ? hosts : [Address];

    public const string VersionVariable = "COLDMOD_VERSION";
    public const int MaxLabelLength = 256;
    public const string GrpcHostVariable = "COLDMOD_GRPC_HOST";
    public const string AppVariable = "COLDMOD_APP";
    public const string InsecureVariable = "COLDMOD_INSECURE";
    public const string ApiKeyVariable = "COLDMOD_API_KEY";
    public const string TlsCaVariable = "COLDMOD_TLS_CA";
    public const string FlushIntervalVariable = "COLDMOD_FLUSH_INTERVAL";

    private static readonly TimeSpan s_defaultFlushInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_maxFlushInterval = TimeSpan.FromHours(1);

    // Null with the one line to print when a setting is missing or invalid: tracing is off, the app is not affected.
    public static SenderSettings? Resolve(ColdmodTracingOptions options, Func<string, string?> environment, out string? problem)
    {
        var host = options.GrpcHost ?? environment(GrpcHostVariable);
        if (string.IsNullOrWhiteSpace(host))
        {
            problem = $"{GrpcHostVariable} is not set; set it to the Coldmod server's gRPC host:port (for example 127.0.0.1:7777). Tracing is off.";
            return null;
        }

        var insecure = options.Insecure ?? string.Equals(environment(InsecureVariable)?.Trim(), "on", StringComparison.Ordinal);
        var addresses = new List<Uri>();
        foreach (var entry in host.Split(','))
        {
            if (!TryParseHost(entry.Trim(), insecure, out var parsed))
            {
                problem = $"{GrpcHostVariable}={host} is not a host:port or a comma-separated list of them ('{entry.Trim()}' is not); set it to the Coldmod server's gRPC host:port (for example 127.0.0.1:7777, or 10.0.0.1:7777,10.0.0.2:7777 for several instances). Tracing is off.";
                return null;
            }

            addresses.Add(parsed);
        }

        var address = addresses[0];

        var app = options.App ?? environment(AppVariable) ?? Assembly.GetEntryAssembly()?.GetName().Name;
        if (string.IsNullOrWhiteSpace(app) || app.Length > 256 || app.Any(char.IsControl))
        {
            problem = $"{AppVariable} is not set or not a valid app name (1 to 256 characters, no control characters); set it to the app's name. Tracing is off.";
            return null;
        }

        var apiKey = options.ApiKey ?? environment(ApiKeyVariable);
        if (!insecure && string.IsNullOrWhiteSpace(apiKey))
        {
            problem = $"{ApiKeyVariable} is not set; set it to the server's API key, or set {InsecureVariable}=on for a server without TLS and authentication. Tracing is off.";
            return null;
        }

        var caFile = options.TlsCaFile ?? environment(TlsCaVariable);
        if (!insecure && !string.IsNullOrWhiteSpace(caFile) && !File.Exists(caFile))
        {
            problem = $"{TlsCaVariable}={caFile} does not exist; set it to the PEM file of the CA that signed the server's certificate. Tracing is off.";
            return null;
        }

        var interval = options.FlushInterval;
        if (interval is null)
        {
            var text = environment(FlushIntervalVariable);
            if (string.IsNullOrWhiteSpace(text))
            {
                interval = s_defaultFlushInterval;
            }
            else if (TryParseInterval(text.Trim(), out var parsed))
            {
                interval = parsed;
            }
        }

        if (interval is not { } flush || flush <= TimeSpan.Zero || flush > s_maxFlushInterval)
        {
            problem = $"{FlushIntervalVariable} is not a duration between 1ms and 1h; set it like 500ms, 1s or 2m. Tracing is off.";
            return null;
        }

        var label = (options.VersionLabel ?? environment(VersionVariable))?.Trim();
        if (label is not null && (label.Length > MaxLabelLength || label.Any(char.IsControl)))
        {
            problem = $"{VersionVariable} is not a valid label (at most {MaxLabelLength} characters, no control characters); set it to something like a git commit. Tracing is off.";
            return null;
        }

        problem = null;
        return new SenderSettings(address, app.Trim(), insecure, insecure ? null : apiKey!.Trim(),
            insecure || string.IsNullOrWhiteSpace(caFile) ? null : caFile, flush, string.IsNullOrEmpty(label) ? null : label, addresses.Count > 1 ? addresses : null);
    }

    private static bool TryParseHost(string host, bool insecure, out Uri address)
    {
        address = null!;
        if (host.Contains("://", StringComparison.Ordinal)
            || !Uri.TryCreate((insecure ? "http://" : "https://") + host, UriKind.Absolute, out var uri)
            || uri.IsDefaultPort && !host.EndsWith(":" + uri.Port.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            || uri.PathAndQuery != "/" || host.EndsWith('/') || !string.IsNullOrEmpty(uri.UserInfo) || uri.Port <= 0)
        {
            return false;
        }

        address = uri;
        return true;
    }

    private static bool TryParseInterval(string text, out TimeSpan interval)
    {
        var (number, scale) = text.EndsWith("ms", StringComparison.OrdinalIgnoreCase) ? (text[..^2], 1.0)
            : text.EndsWith('s') || text.EndsWith('S') ? (text[..^1], 1000.0)
            : text.EndsWith('m') || text.EndsWith('M') ? (text[..^1], 60_000.0)
            : (text, 1000.0);
        if (double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            && value * scale is >= 1 and <= 3_600_000)
        {
            interval = TimeSpan.FromMilliseconds(value * scale);
            return true;
        }

        interval = default;
        return false;
    }
}
