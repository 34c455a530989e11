namespace Coldmod.Runtime.Internal.Sending;

// Exponential backoff with full jitter: a random delay between zero and base * 2^attempt, capped, so that many
// processes losing the same server do not come back in lockstep.
internal sealed class Backoff(TimeSpan baseDelay, TimeSpan cap, Random random)
{
    private int _attempt;

    public void Reset() => _attempt = 0;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(cap.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(_attempt, 30)));
        _attempt++;
        return TimeSpan.FromMilliseconds(random.NextDouble() * ceiling);
    }
}
