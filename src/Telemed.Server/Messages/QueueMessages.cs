using System.Globalization;
using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain.Messages;
using Telemed.Domain.Queue;
using Telemed.Server.Queue;

namespace Telemed.Server.Messages;

/// <summary>
/// What the queue's events mean for patients' phones, written in the queue's own transaction (<see cref="QueueAlerts"/>
/// decides from the session before and after): check-in confirmations, "N ahead of you", "you are next", the doctor's
/// call, a paused, closed or cancelled session. It never refuses a command.
/// </summary>
public sealed class QueueMessages(PatientMessages messages, IOptions<MessageOptions> options) : IQueueLedger
{
    public async Task<QueueError?> Record(
        IDocumentSession session, OpdSession before, OpdSession after, IReadOnlyList<IQueueEvent> events, CancellationToken cancellationToken)
    {
        var alerts = QueueAlerts.For(before, after, events, options.Value.PlacesAheadAlert);
        if (alerts.Count == 0)
        {
            return null;
        }
        var addressees = await PatientMessages.Addressees(session, alerts.Select(a => a.PatientId).Distinct().ToList(), cancellationToken);
        foreach (var alert in alerts)
        {
            if (!addressees.TryGetValue(alert.PatientId, out var to))
            {
                continue;
            }
            var variables = new Dictionary<string, string> { ["token"] = alert.Token.ToString(CultureInfo.InvariantCulture) };
            if (alert.Ahead is { } ahead)
            {
                variables["ahead"] = ahead.ToString(CultureInfo.InvariantCulture);
            }
            messages.Sms(session, to, alert.Template, variables, expiresAt: alert.ExpiresAt);
        }
        return null;
    }
}
