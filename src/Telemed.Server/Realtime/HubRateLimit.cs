using System.ComponentModel.DataAnnotations;
using System.Diagnostics;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Telemed.Domain.Signalling;

namespace Telemed.Server.Realtime;

/// <summary>
/// A message budget per connection (burst, then a steady rate). Over budget, the call is answered with a
/// typed RateLimited error and the connection stays open.
/// </summary>
public sealed class HubRateLimit(IOptions<HubRateLimitOptions> options) : IHubFilter
{
    private static readonly object BucketKey = new();

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (!TryTake(invocationContext.Context.Items))
        {
            return HubResult<object>.Failure("RateLimited", $"Too many messages: at most {options.Value.MessagesPerSecond} per second. Slow down and retry.");
        }
        return await next(invocationContext);
    }

    /// <summary>Takes one message from the connection's budget (its items are the hub's and the transport's alike).</summary>
    public bool TryTake(IDictionary<object, object?> connectionItems)
    {
        if (connectionItems[BucketKey] is not TokenBucket bucket)
        {
            connectionItems[BucketKey] = bucket = new TokenBucket(options.Value.Burst, options.Value.MessagesPerSecond, Stopwatch.Frequency);
        }
        return bucket.TryTake(Stopwatch.GetTimestamp());
    }
}

/// <summary>The per-connection message budget, configured with the rest of the signalling limits (<c>Signalling:</c>).</summary>
public sealed class HubRateLimitOptions
{
    public const string Section = "Signalling";

    /// <summary>Hub messages a connection may send in a burst, refilled at <see cref="MessagesPerSecond"/>.</summary>
    [Range(1, 10_000)]
    public int Burst { get; set; } = 50;

    [Range(1, 10_000)]
    public int MessagesPerSecond { get; set; } = 50;
}
