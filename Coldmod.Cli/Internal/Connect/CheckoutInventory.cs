namespace Coldmod.Cli.Internal.Connect;

// What the checkout's build holds right now, and the files whose change means it must be read again.
internal sealed record CheckoutInventory(IReadOnlyList<InventoryKey> Keys, string Stale, IReadOnlyList<string> WatchedFiles)
{
    public IReadOnlySet<string> KeySet { get; } = Keys.Select(k => k.Key).ToHashSet(StringComparer.Ordinal);

    public bool SameAs(CheckoutInventory other) => Stale == other.Stale && Keys.SequenceEqual(other.Keys);
}
