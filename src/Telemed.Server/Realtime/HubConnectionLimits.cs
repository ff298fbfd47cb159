using System.ComponentModel.DataAnnotations;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Realtime;

/// <summary>How many live hub connections one client may hold, and how fast anonymous ones (the board) may open.</summary>
public sealed class HubConnectionLimitOptions
{
    public const string Section = "Hubs";

    /// <summary>
    /// Open hub connections per client address (an IPv6 client counted by its /64), all hubs together. Generous: a
    /// clinic's patients and staff, or a mobile carrier's customers, may share one address.
    /// </summary>
    [Range(1, 1_000_000)]
    public int ConnectionsPerAddress { get; set; } = 100;

    /// <summary>Open hub connections per signed-in account, all hubs together (a few tabs, each with its hubs).</summary>
    [Range(1, 100_000)]
    public int ConnectionsPerAccount { get; set; } = 10;

    /// <summary>New connections without sign-in (the public board) per client address per minute.</summary>
    [Range(1, 1_000_000)]
    public int AnonymousConnectionsPerMinute { get; set; } = 30;
}

/// <summary>
/// Connection caps through ASP.NET Core's rate limiter: a hub connection is one long request (the WebSocket, or an
/// event stream), so a concurrency limiter's lease is held exactly as long as the connection is open. Negotiation is
/// a short request of its own and is not counted. Per node: a client spread over nodes by the load balancer may hold
/// the limit on each.
/// </summary>
public static class HubConnectionLimits
{
    private static readonly RateLimitPartition<string> Unlimited = RateLimitPartition.GetNoLimiter("");

    public static IServiceCollection AddHubConnectionLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<HubConnectionLimitOptions>().Bind(configuration.GetSection(HubConnectionLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        // After the endpoint policies are configured, so the answer to a refused connection wraps theirs.
        services.AddOptions<RateLimiterOptions>().PostConfigure<IOptions<HubConnectionLimitOptions>>((limiter, hubs) => Limit(limiter, hubs.Value));
        return services;
    }

    private static void Limit(RateLimiterOptions limiter, HubConnectionLimitOptions limits)
    {
        limiter.GlobalLimiter = PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(http => IsConnection(http)
                ? RateLimitPartition.GetConcurrencyLimiter(Security.ClientNetwork(http.Connection.RemoteIpAddress), _ => Concurrent(limits.ConnectionsPerAddress))
                : Unlimited),
            PartitionedRateLimiter.Create<HttpContext, string>(http => IsConnection(http) && SignedIn(http)
                ? RateLimitPartition.GetConcurrencyLimiter(http.User.AccountId().ToString(), _ => Concurrent(limits.ConnectionsPerAccount))
                : Unlimited),
            PartitionedRateLimiter.Create<HttpContext, string>(http => IsConnection(http) && !SignedIn(http)
                ? RateLimitPartition.GetFixedWindowLimiter(Security.ClientNetwork(http.Connection.RemoteIpAddress), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = limits.AnonymousConnectionsPerMinute,
                    Window = TimeSpan.FromMinutes(1),
                    QueueLimit = 0,
                })
                : Unlimited));
        var otherwise = limiter.OnRejected;
        limiter.OnRejected = async (context, cancellationToken) =>
        {
            if (!IsConnection(context.HttpContext))
            {
                if (otherwise is not null)
                {
                    await otherwise(context, cancellationToken);
                }
                return;
            }
            context.HttpContext.Response.Headers.RetryAfter = "60";
            await Problems.TooManyRequests("Too many live connections from this address or account: close another tab or device, or wait a minute.")
                .ExecuteAsync(context.HttpContext);
        };
    }

    private static ConcurrencyLimiterOptions Concurrent(int permits) => new() { PermitLimit = permits, QueueLimit = 0 };

    private static bool SignedIn(HttpContext http) => http.User.Identity?.IsAuthenticated == true;

    /// <summary>The request that carries a hub connection: on a hub's path, not its negotiation.</summary>
    private static bool IsConnection(HttpContext http) =>
        http.Request.Path.StartsWithSegments("/hubs", out var rest) && !(rest.Value ?? "").EndsWith("/negotiate", StringComparison.Ordinal);
}
