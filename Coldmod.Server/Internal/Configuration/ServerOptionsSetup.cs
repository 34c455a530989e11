using Microsoft.Extensions.Options;

namespace Coldmod.Server.Internal.Configuration;

// Reads the COLDMOD_* variables from configuration (environment variables, command line, or
// whatever a host adds); an empty value counts as unset.
internal sealed class ServerOptionsSetup(IConfiguration configuration) : IConfigureOptions<ServerOptions>
{
    public void Configure(ServerOptions options) => Apply(configuration, options);

    public static ServerOptions Read(IConfiguration configuration)
    {
        var options = new ServerOptions();
        Apply(configuration, options);
        return options;
    }

    private static void Apply(IConfiguration configuration, ServerOptions options)
    {
        options.GrpcHost = Value(configuration, ServerOptions.GrpcHostVariable) ?? options.GrpcHost;
        options.WebHost = Value(configuration, ServerOptions.WebHostVariable) ?? options.WebHost;
        options.Store = Value(configuration, ServerOptions.StoreVariable) ?? options.Store;
        options.Insecure = Value(configuration, ServerOptions.InsecureVariable) ?? options.Insecure;
        options.TlsCert = Value(configuration, ServerOptions.TlsCertVariable) ?? options.TlsCert;
        options.TlsKey = Value(configuration, ServerOptions.TlsKeyVariable) ?? options.TlsKey;
        // The key is compared byte for byte, so it is not trimmed.
        var apiKey = configuration[ServerOptions.ApiKeyVariable];
        options.ApiKey = string.IsNullOrEmpty(apiKey) ? options.ApiKey : apiKey;
        options.MaxMessageSize = Value(configuration, ServerOptions.MaxMessageSizeVariable) ?? options.MaxMessageSize;
        options.VersionRetention = Value(configuration, ServerOptions.VersionRetentionVariable) ?? options.VersionRetention;
        options.LogLevel = Value(configuration, ServerOptions.LogLevelVariable) ?? options.LogLevel;
    }

    private static string? Value(IConfiguration configuration, string variable)
    {
        var value = configuration[variable];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
