using JasperFx.Events.Fetching;
using JasperFx.Events.Projections;
using Marten;
using Microsoft.AspNetCore.SignalR;
using Telemed.Domain.Queue;
using Telemed.Server.Realtime;

namespace Telemed.Server.Queue;

public static class QueueSetup
{
    public static IHostApplicationBuilder AddTelemedQueue(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<PositionBroadcaster>();
        services.AddSingleton<QueueNotifier>();
        services.AddSingleton<IPresenceObserver>(provider => provider.GetRequiredService<QueueNotifier>());
        services.AddSingleton<QueueService>();
        // Sessions that commands touched recently, as Marten's write workflow left them: bounded, the least recently used go first.
        var writeCache = new RecentlyUsedAggregateWriteCache(sizeLimit: 500);
        services.AddSingleton(writeCache);
        // Anonymous callers of the board get the same per-connection message budget as everyone.
        services.AddSignalR().AddHubOptions<BoardHub>(options => options.AddFilter<HubRateLimit>());
        services.AddSignalR().AddHubOptions<QueueHub>(options =>
        {
            options.AddFilter<HubConnectionTracking>();
            options.AddFilter<HubRateLimit>();
            // Stateful reconnect keeps what was sent until the client acknowledges it, about once a second. A doctor's
            // connection on a queue of 1,000 receives more than SignalR's 100 KB default in that time, and a full buffer
            // holds every further send to it until the acknowledgement: the queue benchmark's p99 was 0.9 s with it.
            options.StatefulReconnectBufferSize = 1024 * 1024;
        });
        services.ConfigureMarten(options =>
        {
            options.Projections.Add<OpdSessionProjection>(ProjectionLifecycle.Async);
            // The stored snapshot only spares a restart (or a write-cache miss) the replay of the session's latest events;
            // rewriting a 1,000-patient session's document four times a second (the daemon's default pace when busy)
            // more than doubled the queue's p99 push latency. Every 5 s it is at most a few dozen events behind.
            options.Projections.FastPollingTime = TimeSpan.FromSeconds(5);
            options.Projections.SlowPollingTime = TimeSpan.FromSeconds(5);
            options.Projections.Add<SessionListingProjection>(ProjectionLifecycle.Inline);
            options.Schema.For<SessionListing>().Index(x => x.FacilityId).Index(x => x.EndsAt);
            options.Events.AggregateWriteCaching.Cache = writeCache;
            options.Events.CacheAggregatesForWriting<OpdSession>(sizeLimit: 500);
            options.Schema.For<CheckInAttachment>().Index(x => x.SessionId);
            options.Schema.For<EmergencyAccessGrant>();
            options.Events.AddEventTypes([
                typeof(SessionOpened), typeof(SessionPaused), typeof(SessionResumed), typeof(SessionClosed), typeof(PatientCheckedIn),
                typeof(TokenCalled), typeof(TokenSkipped), typeof(TokenMarkedNoShow), typeof(TokenRecalled), typeof(TokenConsultationStarted),
                typeof(TokenCompleted), typeof(TokenCancelled), typeof(TokenLeft), typeof(TokenPrioritised), typeof(TokenPaid), typeof(TokenPaymentExpired),
                typeof(TokenNotHeld), typeof(SlotBooked), typeof(BookingRescheduled), typeof(BookingCancelled), typeof(BookingMissed),
            ]);
        });
        return builder;
    }

    public static WebApplication MapTelemedQueue(this WebApplication app)
    {
        app.MapQueue();
        app.MapSessionsOfTheDay();
        // Stateful reconnect: a client that loses its WebSocket briefly resumes without losing messages in between.
        // An expired access token closes the connection (the client reconnects with a fresh one or is signed out).
        // A client that does not take what is sent to it within Hubs:SendTimeoutSeconds is cut (Pushes).
        app.MapHub<QueueHub>("/hubs/queue", options =>
        {
            options.AllowStatefulReconnects = true;
            options.CloseOnAuthenticationExpiration = true;
            Pushes.Bound(options, app.Services);
        });
        // Anonymous: how many may connect per address and minute is limited with every hub's connections (Realtime).
        app.MapHub<BoardHub>("/hubs/board", options =>
        {
            options.AllowStatefulReconnects = true;
            Pushes.Bound(options, app.Services);
        });
        return app;
    }
}
