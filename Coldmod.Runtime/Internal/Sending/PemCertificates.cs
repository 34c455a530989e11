using System.Security.Cryptography.X509Certificates;

namespace Coldmod.Runtime.Internal.Sending;

// netstandard2.0 only (X509Certificate2Collection.ImportFromPemFile is .NET 5+): the CERTIFICATE blocks of a PEM file.
internal static class PemCertificates
{
    private const string Begin = "-----BEGIN CERTIFICATE-----";
    private const string End = "-----END CERTIFICATE-----";

    public static X509Certificate2Collection Read(string path)
    {
        var text = File.ReadAllText(path);
        var certificates = new X509Certificate2Collection();
        var at = 0;
        while ((at = text.IndexOf(Begin, at, StringComparison.Ordinal)) >= 0)
        {
            var body = at + Begin.Length;
            var end = text.IndexOf(End, body, StringComparison.Ordinal);
            if (end < 0)
            {
                throw new InvalidDataException($"{path} has a certificate with no {End} line.");
            }

            certificates.Add(new X509Certificate2(Convert.FromBase64String(text.Substring(body, end - body))));
            at = end + End.Length;
        }

        if (certificates.Count == 0)
        {
            throw new InvalidDataException($"{path} holds no PEM certificate.");
        }

        return certificates;
    }
}
