using System.Net;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Coldmod.TestSupport;

/// <summary>
/// A CA made for one test class and a server certificate it signed for 127.0.0.1 and localhost, both as PEM files,
/// so the server and its clients read them the way they read real ones.
/// </summary>
public sealed class TestAuthority : IDisposable
{
    private static readonly Oid s_serverAuthentication = new("1.3.6.1.5.5.7.3.1");

    private readonly TempDirectory _directory = new("coldmod-tls");
    private readonly X509Certificate2 _root;

    public TestAuthority()
    {
        var notBefore = DateTimeOffset.UtcNow.AddDays(-1);
        var notAfter = notBefore.AddDays(30);

        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Coldmod Tests CA", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        rootRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        rootRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(rootRequest.PublicKey, false));
        _root = rootRequest.CreateSelfSigned(notBefore, notAfter);

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var subjectNames = new SubjectAlternativeNameBuilder();
        subjectNames.AddIpAddress(IPAddress.Loopback);
        subjectNames.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(subjectNames.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([s_serverAuthentication], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_root, true, false));
        using var serverCertificate = serverRequest.Create(_root, notBefore, notAfter, RandomNumberGenerator.GetBytes(16));

        CaPath = _directory.Write("ca.pem", _root.ExportCertificatePem());
        CertificatePath = _directory.Write("server.pem", serverCertificate.ExportCertificatePem());
        KeyPath = _directory.Write("server.key", serverKey.ExportPkcs8PrivateKeyPem());
    }

    public string CaPath { get; }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    public string MissingPath => _directory.Combine("no-such-ca.pem");

    // Only this CA is trusted, and the name must still match.
    public bool Trusts(HttpRequestMessage request, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        custom.ChainPolicy.CustomTrustStore.Add(_root);
        return custom.Build(certificate);
    }

    public void Dispose()
    {
        _root.Dispose();
        _directory.Dispose();
    }
}
