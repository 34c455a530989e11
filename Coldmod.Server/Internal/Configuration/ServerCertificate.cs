using System.Security.Cryptography.X509Certificates;

namespace Coldmod.Server.Internal.Configuration;

internal static class ServerCertificate
{
    public static X509Certificate2 Load(string certificatePath, string keyPath)
    {
        using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
        if (!pem.HasPrivateKey)
        {
            throw new ArgumentException("the key does not belong to the certificate");
        }

        // A PEM key is ephemeral; a PKCS#12 round trip gives a key that SslStream can use on every platform.
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }
}
