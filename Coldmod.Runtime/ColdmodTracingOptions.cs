namespace Coldmod.Runtime;

/// <summary>
/// Settings for <see cref="ColdmodTracing.Start(ColdmodTracingOptions)"/>. Every property left null is read from its
/// environment variable, so an app usually needs none of them.
/// </summary>
public sealed class ColdmodTracingOptions
{
    /// <summary>The backend's gRPC <c>host:port</c>; default: <c>COLDMOD_GRPC_HOST</c>.</summary>
    public string? GrpcHost { get; set; }

    /// <summary>The app's name on the backend; default: <c>COLDMOD_APP</c>, else the entry assembly's name.</summary>
    public string? App { get; set; }

    /// <summary>True for plaintext without authentication; default: whether <c>COLDMOD_INSECURE</c> is <c>on</c>.</summary>
    public bool? Insecure { get; set; }

    /// <summary>The bearer token sent with every call; default: <c>COLDMOD_API_KEY</c>.</summary>
    public string? ApiKey { get; set; }

    /// <summary>A PEM file of the certificate authority the client trusts; default: <c>COLDMOD_TLS_CA</c>.</summary>
    public string? TlsCaFile { get; set; }

    /// <summary>How often counts are sent; default: <c>COLDMOD_FLUSH_INTERVAL</c>, else one second.</summary>
    public TimeSpan? FlushInterval { get; set; }

    /// <summary>
    /// A label for this build shown beside its version (for example a git commit); default: <c>COLDMOD_VERSION</c>.
    /// The version itself is a hash of the app's srcs.
    /// </summary>
    public string? VersionLabel { get; set; }
}
