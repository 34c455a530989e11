using System.Security.Cryptography;
using System.Text;

namespace Coldmod.Server.Internal.Services;

// Both sides are hashed to 32 bytes first, so FixedTimeEquals compares equal lengths and the time
// taken says nothing about the key's length or how much of it matched.
internal sealed class ApiKeyCheck(string apiKey)
{
    private readonly byte[] _expected = SHA256.HashData(Encoding.UTF8.GetBytes(apiKey));

    public bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _expected);
}
