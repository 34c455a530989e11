using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Coldmod.Protocol;

namespace Coldmod.Server.Internal.Store;

// The heatmap's version semantics, which every store implements alike (coldmod.proto, "Versions", says the same to
// clients):
//   1. Counts belong to the app's keys. A hit counts for its key whichever version's process sent it; a key is known
//      while any retained version has it, and only hits for keys no retained version has are unknown.
//   2. A Set is authoritative for its own version: it replaces that version's key set and touches no other version's.
//   3. The current version is the one first seen last (the newest build). Views (Fetch, Status) show its keys, and
//      the keys only older retained versions have apart.
//   4. A version silent (no Set, no batch naming it) for longer than the retention is dropped, unless it is current;
//      dropping a version deletes the keys no remaining version has, with their counts.
//   5. A batch naming a version the store does not have is refused (NOT_FOUND) so that its process sets it again.
internal static class VersionRules
{
    public const int MaxVersionLength = 64;
    public const int MaxLabelLength = 256;

    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(14);

    // The id of a Set that names no version: what the runtime computes from the same srcs (see AppVersion there), so a
    // build keeps its version whether or not its sender names it.
    public static string Derive(IEnumerable<Src> srcs)
    {
        var unique = new Dictionary<string, Src>(StringComparer.Ordinal);
        foreach (var src in srcs)
        {
            unique.TryAdd(src.Key, src);
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var src in unique.Values.OrderBy(s => s.Key, StringComparer.Ordinal))
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{src.Key}\0{src.File}\0{src.Line.ToString(CultureInfo.InvariantCulture)}\n"));
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset(), 0, 16);
    }
}
