using JasperFx.Events.Projections;
using Marten;
using Telemed.Domain.Spokes;
using Telemed.Server.Queue;

namespace Telemed.Server.Spokes;

public static class SpokesSetup
{
    public static IHostApplicationBuilder AddTelemedSpokes(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<HubSpokeLinks>();
        services.AddSingleton<IQueueLedger, SpokeRequestLedger>();
        services.ConfigureMarten(options =>
        {
            options.Events.AddEventTypes([typeof(SpokeLinked), typeof(SpokeUnlinked), typeof(RosterPublished), typeof(RosterWithdrawn), typeof(PatientBroughtIn)]);
            // Every link lives on one short stream, folded on each read and written one change at a time.
            options.Projections.Add<HubSpokeNetworkProjection>(ProjectionLifecycle.Live);
            // Rosters are queried by hub and doctor, so their state is written with their events.
            options.Projections.Add<RosterProjection>(ProjectionLifecycle.Inline);
            options.Schema.For<Roster>().Index(x => x.HubId).Index(x => x.DoctorId);
            options.Schema.For<SpokePatient>().Index(x => x.HealthWorkerId);
            options.Schema.For<SpokeRequest>().Index(x => x.HealthWorkerId).Index(x => x.SpokeId);
        });
        return builder;
    }

    public static WebApplication MapTelemedSpokes(this WebApplication app)
    {
        app.MapHubSpokeLinks();
        app.MapRosters();
        app.MapHealthWorkers();
        app.MapSpokePharmacy();
        return app;
    }
}
