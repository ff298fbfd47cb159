namespace Telemed.Domain.Signalling;

/// <summary>
/// A per-connection message budget: up to <c>capacity</c> at once, refilled at <c>perSecond</c>.
/// Time is passed in (ticks of any monotonic clock with the given frequency), so it is testable and timer-free.
/// </summary>
public sealed class TokenBucket(int capacity, double perSecond, long ticksPerSecond)
{
    private readonly Lock gate = new();
    private double tokens = capacity;
    private long last = -1;

    public bool TryTake(long nowTicks)
    {
        lock (gate)
        {
            if (last >= 0)
            {
                tokens = Math.Min(capacity, tokens + (nowTicks - last) * perSecond / ticksPerSecond);
            }
            last = nowTicks;
            if (tokens < 1)
            {
                return false;
            }
            tokens -= 1;
            return true;
        }
    }
}
