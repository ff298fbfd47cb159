using Marten;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Analytics;
using Telemed.Server.Infrastructure;
using Telemed.Server.Realtime;

namespace Telemed.Server.Analytics;

/// <summary>An outbreak flag, raised once per district, syndrome and day; the alert's own stream is its audit.</summary>
public sealed record OutbreakAlertRaised(Guid AlertId, string District, Syndrome Syndrome, DateOnly Day, int? Count, double? Expected,
    IReadOnlyList<string> Detectors, DateTimeOffset At);

/// <summary>
/// After the projection moves, checks the recent days of every district and syndrome with EARS; a newly flagged day
/// becomes an <see cref="OutbreakAlertRaised"/> event and a hub message to the health officers online.
/// </summary>
public sealed class OutbreakAlerts(IDocumentStore store, IHubContext<AlertHub, IAlertClient> hub, Pushes pushes, IOptions<AnalyticsOptions> options, TimeProvider time)
{
    /// <summary>How far back a newly projected event can still change a verdict.</summary>
    private const int RecentDays = 3;

    public async Task<IReadOnlyList<OutbreakAlert>> Raise(CancellationToken cancellationToken)
    {
        var today = IndianTime.Day(time.GetUtcNow());
        await using var session = store.LightweightSession();
        var flagged = await AnalyticsEndpoints.AlertsBetween(session, today.AddDays(-RecentDays), today, options.Value.MinimumCellSize, cancellationToken);
        var raised = new List<OutbreakAlert>();
        foreach (var alert in flagged)
        {
            var alertId = Ids.NameBased(Guid.Empty, $"outbreak/{alert.District}/{alert.Syndrome}/{alert.Day:yyyy-MM-dd}");
            if (await session.Events.FetchStreamStateAsync(alertId, cancellationToken) is not null)
            {
                continue;
            }
            session.Events.StartStream(alertId, new OutbreakAlertRaised(alertId, alert.District, alert.Syndrome, alert.Day, alert.Count, alert.Expected,
                alert.Detectors, time.GetUtcNow()));
            raised.Add(alert);
        }
        if (raised.Count == 0)
        {
            return raised;
        }
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Marten.Exceptions.ExistingStreamIdCollisionException)
        {
            return [];
        }
        foreach (var alert in raised)
        {
            pushes.Send(deadline => hub.Clients.Group(AlertHub.HealthOfficers).OutbreakAlert(alert, deadline));
        }
        return raised;
    }
}
