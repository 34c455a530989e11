namespace Coldmod.Server.Internal.Configuration;

// Raw settings as the environment gives them; ServerOptionsValidator checks them at start,
// and the typed accessors below are only used after that.
internal sealed class ServerOptions
{
    public const string GrpcHostVariable = "COLDMOD_GRPC_HOST";
    public const string WebHostVariable = "COLDMOD_WEB_HOST";
    public const string StoreVariable = "COLDMOD_STORE";
    public const string InsecureVariable = "COLDMOD_INSECURE";
    public const string TlsCertVariable = "COLDMOD_TLS_CERT";
    public const string TlsKeyVariable = "COLDMOD_TLS_KEY";
    public const string ApiKeyVariable = "COLDMOD_API_KEY";
    public const string MaxMessageSizeVariable = "COLDMOD_MAX_MESSAGE_SIZE";
    public const string VersionRetentionVariable = "COLDMOD_VERSION_RETENTION";
    public const string LogLevelVariable = "COLDMOD_LOG_LEVEL";

    public const string DefaultGrpcHost = "127.0.0.1:7777";
    public const string DefaultWebHost = "127.0.0.1:7778";
    public const string DefaultStore = "coldmod.db";
    public const int DefaultMaxMessageSize = 16 * 1024 * 1024;

    public string GrpcHost { get; set; } = DefaultGrpcHost;

    public string WebHost { get; set; } = DefaultWebHost;

    public string Store { get; set; } = DefaultStore;

    public string Insecure { get; set; } = "";

    public string TlsCert { get; set; } = "";

    public string TlsKey { get; set; } = "";

    public string ApiKey { get; set; } = "";

    public string MaxMessageSize { get; set; } = DefaultMaxMessageSize.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public string VersionRetention { get; set; } = "14d";

    // Empty: Coldmod's own categories log at the host's default level (Information).
    public string LogLevel { get; set; } = "";

    public bool IsInsecure => string.Equals(Insecure.Trim(), "on", StringComparison.OrdinalIgnoreCase);

    public ListenAddress GrpcEndpoint => ListenAddress.Parse(GrpcHost);

    public ListenAddress WebEndpoint => ListenAddress.Parse(WebHost);

    public string StorePath => StoreLocation.Parse(Store);

    public TimeSpan VersionRetentionPeriod => RetentionPeriod.TryParse(VersionRetention, out var period, out _) ? period : Internal.Store.VersionRules.DefaultRetention;

    public int MaxMessageSizeBytes => MessageSize.TryParse(MaxMessageSize, out var bytes, out _) ? bytes : DefaultMaxMessageSize;
}
