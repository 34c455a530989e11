namespace Coldmod.Server.Tests.Infrastructure;

// Every COLDMOD_* setting a test server gets. All are always passed (empty means unset), so the
// environment the tests run in cannot leak into them.
public sealed record ServerSettings
{
    public string GrpcHost { get; init; } = "127.0.0.1:7777";

    public string WebHost { get; init; } = "127.0.0.1:7778";

    public required string Store { get; init; }

    public string Insecure { get; init; } = "on";

    public string TlsCert { get; init; } = "";

    public string TlsKey { get; init; } = "";

    public string ApiKey { get; init; } = "";

    public string MaxMessageSize { get; init; } = "";

    public string VersionRetention { get; init; } = "";

    // Replaces the server's clock when set.
    public TimeProvider? Clock { get; init; }

    // Adds to or replaces the server's services (options a test shortens, say) after the server's own.
    public Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? Services { get; init; }

    public Dictionary<string, string?> ToConfiguration() => new()
    {
        ["COLDMOD_GRPC_HOST"] = GrpcHost,
        ["COLDMOD_WEB_HOST"] = WebHost,
        ["COLDMOD_STORE"] = Store,
        ["COLDMOD_INSECURE"] = Insecure,
        ["COLDMOD_TLS_CERT"] = TlsCert,
        ["COLDMOD_TLS_KEY"] = TlsKey,
        ["COLDMOD_API_KEY"] = ApiKey,
        ["COLDMOD_MAX_MESSAGE_SIZE"] = MaxMessageSize,
        ["COLDMOD_VERSION_RETENTION"] = VersionRetention,
    };
}
