using Marten;
using Microsoft.AspNetCore.SignalR;
using Telemed.Server.Realtime;
using Telemed.Domain.Analytics;

namespace Telemed.Server.Analytics;

public static class AnalyticsSetup
{
    public static IHostApplicationBuilder AddTelemedAnalytics(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AnalyticsOptions>().Bind(builder.Configuration.GetSection(AnalyticsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<AnalyticsProjector>();
        services.AddSingleton<OutbreakAlerts>();
        services.AddHostedService(provider => provider.GetRequiredService<AnalyticsProjector>());
        services.AddSignalR().AddHubOptions<AlertHub>(options => options.AddFilter<HubConnectionTracking>());
        services.ConfigureMarten(options =>
        {
            options.Schema.For<Visit>().Index(x => x.FacilityId).Index(x => x.District).Index(x => x.Day);
            options.Schema.For<ProjectionPosition>().UseOptimisticConcurrency(true);
            options.Schema.For<SessionPlace>();
            options.Schema.For<VisitLink>();
            options.Events.AddEventType<OutbreakAlertRaised>();
        });
        return builder;
    }
}
