using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace Telemed.Server.Infrastructure;

/// <summary>
/// More than one node: with <c>Redis:ConnectionString</c> set, SignalR sends every hub message through Redis, so a
/// patient on one node hears the doctor on another (queue pushes, room signalling, chat). Unset, the node runs alone
/// and needs no Redis. The connection never aborts: a node whose Redis is down stays up, reports not ready, and
/// reconnects by itself; hub messages sent while Redis is down are lost (clients resynchronise on reconnect), nothing
/// in the event store is. The HTTP rate limits are shared through Redis too (<see cref="SharedRateLimits"/>), and so is
/// presence, who is online (set up with the hubs' shared pieces, in <c>Realtime/</c>).
/// </summary>
public static class ScaleOut
{
    public const string Setting = "Redis:ConnectionString";

    public static IHostApplicationBuilder AddTelemedScaleOut(this IHostApplicationBuilder builder)
    {
        var connectionString = builder.Configuration[Setting];
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return builder;
        }
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.ClientName ??= "telemed";
        if (builder.Configuration[$"{ScaleOutOptions.Section}:{nameof(ScaleOutOptions.CaCertificatePath)}"] is { Length: > 0 } caPath)
        {
            // Redis's TLS certificate is signed by the deployment's own CA, not by one the system trusts.
            options.TrustIssuer(File.Exists(caPath) ? caPath : throw new FileNotFoundException($"Redis:CaCertificatePath names no file ({caPath}).", caPath));
        }
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(options));
        builder.Services.AddSignalR().AddStackExchangeRedis(redis =>
        {
            redis.Configuration = options.Clone();
            redis.Configuration.ChannelPrefix = RedisChannel.Literal("telemed");
        });
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [Health.Ready]);
        builder.Services.AddOptions<ScaleOutOptions>().Bind(builder.Configuration.GetSection(ScaleOutOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SharedRateLimits>();
        return builder;
    }

    private sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (!redis.IsConnected)
            {
                return HealthCheckResult.Unhealthy("Redis is not connected; hub messages cannot reach other nodes.");
            }
            try
            {
                var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
                return HealthCheckResult.Healthy($"Redis answers ({latency.TotalMilliseconds:F1} ms).");
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                return HealthCheckResult.Unhealthy($"Redis does not answer: {exception.GetType().Name}.");
            }
        }
    }
}

public sealed class ScaleOutOptions
{
    public const string Section = "Redis";

    /// <summary>
    /// A node that has not heartbeaten for this long is taken for dead: its patients go offline for everyone. Longer
    /// than a Redis fail-over or a long GC pause, so a live node is not reaped.
    /// </summary>
    [Range(2, 600)]
    public int NodeTimeoutSeconds { get; set; } = 15;

    /// <summary>
    /// The PEM certificate of the CA that signed Redis's TLS certificate, when it is not one the system trusts (with
    /// <c>ssl=true</c> in the connection string). Only a certificate this CA issued is accepted.
    /// </summary>
    public string? CaCertificatePath { get; set; }
}
