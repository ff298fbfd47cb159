using System.Threading.RateLimiting;
using StackExchange.Redis;

namespace Telemed.Server.Infrastructure;

/// <summary>
/// The HTTP rate limits (<see cref="Security"/>) counted across nodes, so two nodes do not double every limit: one
/// fixed-window counter per policy, client and minute in Redis (<c>telemed:rate:{policy}:{client}:{window}</c>), which
/// every node adds to. While Redis cannot be reached the node counts alone, in memory, as a single node does: sign-in
/// stays both protected and available, each node then allowing the full limit by itself; a warning says so once, and
/// the <c>telemed.rate_limit.unshared</c> counter tells how many requests were counted that way.
/// </summary>
public sealed partial class SharedRateLimits(IConnectionMultiplexer redis, TelemedMetrics metrics, ILogger<SharedRateLimits> logger)
{
    private const string Prefix = "telemed:rate:";

    /// <summary>Long enough for a loaded Redis, short enough that a sign-in does not hang on a dead one.</summary>
    private static readonly TimeSpan RedisTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// KEYS: the policy and client's key, to which the window is appended. ARGV: permits, window length (s). Adds the
    /// permits to the current window's count and returns it. Windows follow Redis's clock, so every node agrees where a
    /// window begins whatever its own clock says; the count expires with its window.
    /// </summary>
    private const string CountScript = """
        local length = tonumber(ARGV[2])
        local now = tonumber(redis.call('TIME')[1])
        local key = KEYS[1] .. ':' .. math.floor(now / length)
        local count = redis.call('INCRBY', key, ARGV[1])
        if redis.call('TTL', key) < 0 then redis.call('EXPIRE', key, length) end
        return count
        """;

    private int countingAlone;

    /// <summary>The limiter of one client under one policy, for <see cref="RateLimitPartition.Get{TKey}"/>.</summary>
    public RateLimiter Limiter(string policy, string client, FixedWindowRateLimiterOptions window) =>
        new SharedWindow(this, policy, Prefix + policy + ":" + client, window);

    /// <summary>The window's count including these permits, or null when Redis cannot say.</summary>
    private async Task<long?> Count(string policy, RedisKey key, int permits, TimeSpan window, CancellationToken cancellationToken)
    {
        if (redis.IsConnected)
        {
            try
            {
                var count = (long)await redis.GetDatabase()
                    .ScriptEvaluateAsync(CountScript, [key], [permits, (long)window.TotalSeconds])
                    .WaitAsync(RedisTimeout, cancellationToken);
                if (Interlocked.Exchange(ref countingAlone, 0) == 1)
                {
                    CountingSharedAgain(logger);
                }
                return count;
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                // Counted alone below, like a disconnected Redis.
            }
        }
        metrics.RateLimitUnshared.Add(1, new KeyValuePair<string, object?>("policy", policy));
        if (Interlocked.Exchange(ref countingAlone, 1) == 0)
        {
            CountingAlone(logger);
        }
        return null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is out of reach: rate limits are counted by this node alone until it returns")]
    private static partial void CountingAlone(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis answers again: rate limits are shared across nodes")]
    private static partial void CountingSharedAgain(ILogger logger);

    /// <summary>
    /// One client's fixed window. The rate-limiting middleware first calls the synchronous <c>AttemptAcquire</c> and,
    /// when that refuses, awaits <c>AcquireAsync</c>: refusing the first always keeps the Redis round trip off the
    /// request thread. The in-memory window counts only while Redis is out of reach; the partitioned limiter replenishes
    /// it and drops this limiter once it has been idle a while (the shared count is in Redis, nothing is lost).
    /// </summary>
    private sealed class SharedWindow(SharedRateLimits shared, string policy, RedisKey key, FixedWindowRateLimiterOptions window) : ReplenishingRateLimiter
    {
        private static readonly RateLimitLease Acquired = new Lease(true);
        private static readonly RateLimitLease Refused = new Lease(false);

        private readonly FixedWindowRateLimiter alone = new(new FixedWindowRateLimiterOptions
        {
            PermitLimit = window.PermitLimit,
            Window = window.Window,
            QueueLimit = 0,
            AutoReplenishment = false,
        });

        public override TimeSpan? IdleDuration => alone.IdleDuration;

        public override bool IsAutoReplenishing => false;

        public override TimeSpan ReplenishmentPeriod => alone.ReplenishmentPeriod;

        public override bool TryReplenish() => alone.TryReplenish();

        /// <summary>None: the count that matters lives in Redis.</summary>
        public override RateLimiterStatistics? GetStatistics() => null;

        protected override RateLimitLease AttemptAcquireCore(int permitCount) => Refused;

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
            await shared.Count(policy, key, permitCount, window.Window, cancellationToken) switch
            {
                null => alone.AttemptAcquire(permitCount),
                var count when count <= window.PermitLimit => Acquired,
                _ => Refused,
            };

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                alone.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>A permit of a fixed window is spent when taken; there is nothing to give back.</summary>
    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
