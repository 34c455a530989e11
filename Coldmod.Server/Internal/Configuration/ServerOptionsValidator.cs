using System.Security.Cryptography;
using Microsoft.Extensions.Options;

namespace Coldmod.Server.Internal.Configuration;

// Every failure names the variable and what to set, so that a start-up error needs no further reading.
internal sealed class ServerOptionsValidator : IValidateOptions<ServerOptions>
{
    public ValidateOptionsResult Validate(string? name, ServerOptions options)
    {
        var failures = new List<string>();

        var grpcValid = CheckAddress(ServerOptions.GrpcHostVariable, options.GrpcHost, ServerOptions.DefaultGrpcHost, failures, out var grpc);
        var webValid = CheckAddress(ServerOptions.WebHostVariable, options.WebHost, ServerOptions.DefaultWebHost, failures, out var web);
        if (grpcValid && webValid && grpc.Port != 0 && grpc.Port == web.Port)
        {
            failures.Add($"{ServerOptions.GrpcHostVariable} and {ServerOptions.WebHostVariable} both use port {grpc.Port}: give them different ports");
        }

        if (!StoreLocation.TryParse(options.Store, out _, out var storeProblem))
        {
            failures.Add($"{ServerOptions.StoreVariable} is not usable: {storeProblem}");
        }

        if (!MessageSize.TryParse(options.MaxMessageSize, out _, out var sizeProblem))
        {
            failures.Add($"{ServerOptions.MaxMessageSizeVariable} is not valid: {sizeProblem}");
        }

        if (!RetentionPeriod.TryParse(options.VersionRetention, out _, out var retentionProblem))
        {
            failures.Add($"{ServerOptions.VersionRetentionVariable} is not valid: {retentionProblem}");
        }

        if (options.LogLevel.Length > 0 && !LogLevelSetting.TryParse(options.LogLevel, out _, out var levelProblem))
        {
            failures.Add($"{ServerOptions.LogLevelVariable} is not valid: {levelProblem}");
        }

        if (!options.IsInsecure)
        {
            CheckSecurity(options, failures);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool CheckAddress(string variable, string value, string example, List<string> failures, out ListenAddress address)
    {
        if (ListenAddress.TryParse(value, out address, out var problem))
        {
            return true;
        }

        failures.Add($"{variable}='{value}' is not valid: {problem}. Set it to host:port, for example {example}");
        return false;
    }

    private static void CheckSecurity(ServerOptions options, List<string> failures)
    {
        var missing = new List<string>();
        if (options.TlsCert.Length == 0)
        {
            missing.Add($"{ServerOptions.TlsCertVariable} (the server's PEM certificate file)");
        }

        if (options.TlsKey.Length == 0)
        {
            missing.Add($"{ServerOptions.TlsKeyVariable} (the PEM private key file of that certificate)");
        }

        if (options.ApiKey.Length == 0)
        {
            missing.Add($"{ServerOptions.ApiKeyVariable} (the key clients send as a bearer token)");
        }

        if (missing.Count > 0)
        {
            var insecure = options.Insecure.Length == 0
                ? $"{ServerOptions.InsecureVariable} is not set"
                : $"{ServerOptions.InsecureVariable} is '{options.Insecure}', not 'on'";
            failures.Add($"TLS and auth are required ({insecure}): set {string.Join(", ", missing)}; or set {ServerOptions.InsecureVariable}=on for plaintext without auth");
        }

        var certExists = CheckFile(ServerOptions.TlsCertVariable, options.TlsCert, "the server's PEM certificate file", failures);
        var keyExists = CheckFile(ServerOptions.TlsKeyVariable, options.TlsKey, "the PEM private key file of that certificate", failures);
        if (certExists && keyExists)
        {
            CheckCertificate(options, failures);
        }

        if (options.ApiKey.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            failures.Add($"{ServerOptions.ApiKeyVariable} contains whitespace or control characters, which cannot travel in a header: set it to a printable key");
        }
    }

    private static bool CheckFile(string variable, string path, string what, List<string> failures)
    {
        if (path.Length == 0)
        {
            return false;
        }

        if (!File.Exists(path))
        {
            failures.Add($"{variable}='{path}' does not exist: set it to {what}");
            return false;
        }

        return true;
    }

    private static void CheckCertificate(ServerOptions options, List<string> failures)
    {
        try
        {
            using var certificate = ServerCertificate.Load(options.TlsCert, options.TlsKey);
            if (certificate.NotAfter < DateTime.Now)
            {
                failures.Add($"{ServerOptions.TlsCertVariable}='{options.TlsCert}' expired on {certificate.NotAfter:u}: set it to a current certificate");
            }
        }
        catch (Exception e) when (e is CryptographicException or IOException or UnauthorizedAccessException or ArgumentException)
        {
            failures.Add($"{ServerOptions.TlsCertVariable}='{options.TlsCert}' and {ServerOptions.TlsKeyVariable}='{options.TlsKey}' are not a usable PEM certificate and private key ({e.Message}): set them to a matching pair");
        }
    }
}
