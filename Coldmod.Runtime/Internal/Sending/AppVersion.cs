using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Coldmod.Runtime.Internal.Sending;

// The build's version id: a hash of its srcs, so every process of one build names the same version and a rebuilt app
// with other srcs names another. The server derives the same id for a Set that names none (VersionRules there).
internal static class AppVersion
{
    public static string Of(IEnumerable<SrcEntry> srcs)
    {
        var unique = new Dictionary<string, SrcEntry>(StringComparer.Ordinal);
        foreach (var src in srcs)
        {
            unique.TryAdd(src.Key, src);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var src in unique.Values.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            var line = Math.Max(src.Line, 0).ToString(CultureInfo.InvariantCulture);
            hash.AppendData(Encoding.UTF8.GetBytes($"{src.Key}\0{src.File}\0{line}\n"));
        }

        return Convert.ToHexString(hash.GetHashAndReset(), 0, 16).ToLowerInvariant();
    }
}
