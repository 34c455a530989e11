using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Coldmod.TestSupport;

namespace Coldmod.Server.Tests.Infrastructure;

// A throw-away CA and a server certificate for 127.0.0.1 and localhost signed by it, written as
// PEM files; a second, unrelated key for the "key does not match" case.
public sealed class TestCertificates : IDisposable
{
    private readonly TempDirectory _directory = new("coldmod-tls");

    public TestCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Coldmod Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        Authority = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverRequest = new CertificateRequest("CN=localhost", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        serverRequest.CertificateExtensions.Add(names.Build());
        serverRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        serverRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        serverRequest.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(Authority, true, false));
        using var server = serverRequest.Create(Authority, now.AddDays(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(16));

        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificatePath = _directory.Write("server.pem", server.ExportCertificatePem());
        KeyPath = _directory.Write("server.key", serverKey.ExportPkcs8PrivateKeyPem());
        OtherKeyPath = _directory.Write("other.key", otherKey.ExportPkcs8PrivateKeyPem());
        AuthorityPath = _directory.Write("ca.pem", Authority.ExportCertificatePem());
    }

    public X509Certificate2 Authority { get; }

    public string CertificatePath { get; }

    public string KeyPath { get; }

    public string OtherKeyPath { get; }

    public string AuthorityPath { get; }

    // Trusts the test CA only, and still requires the name to match (127.0.0.1 or localhost).
    public bool Validate(HttpRequestMessage request, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != SslPolicyErrors.None)
        {
            return false;
        }

        using var trusted = new X509Chain();
        trusted.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        trusted.ChainPolicy.CustomTrustStore.Add(Authority);
        trusted.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return trusted.Build(certificate);
    }

    public void Dispose()
    {
        Authority.Dispose();
        _directory.Dispose();
    }
}
