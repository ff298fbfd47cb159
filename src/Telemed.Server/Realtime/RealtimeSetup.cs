using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Realtime;

/// <summary>
/// What every hub shares: SignalR with the JSON protocol (enums as camelCase strings), presence (shared through Redis
/// when several nodes run), live connections and their revocation checks, the per-connection message budget, pushes
/// that wait for no reader (<see cref="Pushes"/>). Each feature maps its own hub and adds these filters to it.
/// </summary>
public static class RealtimeSetup
{
    public static IHostApplicationBuilder AddTelemedRealtime(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSignalR(options => options.EnableDetailedErrors = false)
            .AddJsonProtocol(options => options.PayloadSerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase)));
        services.AddOptions<HubRateLimitOptions>().Bind(builder.Configuration.GetSection(HubRateLimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<HubRateLimit>();
        services.AddOptions<HubSendOptions>().Bind(builder.Configuration.GetSection(HubSendOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<Pushes>();
        services.AddSingleton<Presence>();
        services.AddSingleton<LiveConnections>();
        services.AddHostedService(provider => provider.GetRequiredService<LiveConnections>());
        services.AddSingleton<HubConnectionTracking>();
        services.AddHubConnectionLimits(builder.Configuration);
        if (!string.IsNullOrWhiteSpace(builder.Configuration[ScaleOut.Setting]))
        {
            services.AddSingleton(provider => new SharedPresence(
                provider.GetRequiredService<IConnectionMultiplexer>(),
                TimeSpan.FromSeconds(provider.GetRequiredService<IOptions<ScaleOutOptions>>().Value.NodeTimeoutSeconds)));
            services.AddHostedService<PresenceHeartbeat>();
        }
        return builder;
    }
}
