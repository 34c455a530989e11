namespace Coldmod.Runtime.Internal.Polyfills;

// netstandard2.0 only: Random.Shared and NextInt64 of .NET 6.
internal static class RandomPolyfills
{
    [ThreadStatic]
    private static Random? t_random;

    extension(Random random)
    {
        // One per thread, since Random is not thread-safe; seeded apart, since threads starting together share a tick.
        public static Random Shared => t_random ??= new Random(Guid.NewGuid().GetHashCode());

        public long NextInt64()
        {
            var bytes = new byte[8];
            random.NextBytes(bytes);
            return BitConverter.ToInt64(bytes, 0) & long.MaxValue;
        }
    }
}
