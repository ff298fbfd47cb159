using Telemed.Domain.Queue;

namespace Telemed.Domain.Messages;

public enum PositionAlert
{
    None,

    /// <summary>"N ahead of you": the patient came within the threshold.</summary>
    PlacesAhead,

    /// <summary>Nobody is ahead any more.</summary>
    YouAreNext,
}

public static class PositionAlerts
{
    public const int DefaultThreshold = 3;

    /// <summary>
    /// What a change of places ahead (null: not in line) tells the patient. Each fires when the line crosses it, not on
    /// every move within it: from more than <paramref name="threshold"/> ahead to at most that many (but some), and from
    /// some ahead to none. Joining the line (after check-in or payment) is confirmed by its own message instead.
    /// </summary>
    public static PositionAlert Crossed(int? before, int? after, int threshold) => (before, after) switch
    {
        (null, _) or (_, null) => PositionAlert.None,
        ( > 0, 0) => PositionAlert.YouAreNext,
        (var b, var a) when b > threshold && a > 0 && a <= threshold => PositionAlert.PlacesAhead,
        _ => PositionAlert.None,
    };
}

/// <summary>One message a queue change causes: to whom, which template, for which token; <c>Ahead</c> only for "N ahead of you".</summary>
public sealed record QueueAlert(Guid PatientId, MessageTemplate Template, int Token, int? Ahead, DateTimeOffset? ExpiresAt);

/// <summary>The messages a queue command's events cause, decided from the session before and after them.</summary>
public static class QueueAlerts
{
    /// <summary>How long a message about the live queue is worth sending: held by quiet hours or an outage beyond this, it lapses.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    /// <summary>The doctor's call is answered within minutes or not at all.</summary>
    public static readonly TimeSpan CallLifetime = TimeSpan.FromMinutes(10);

    public static IReadOnlyList<QueueAlert> For(OpdSession? before, OpdSession after, IReadOnlyList<IQueueEvent> events, int threshold)
    {
        var alerts = new List<QueueAlert>();
        foreach (var @event in events)
        {
            switch (@event)
            {
                case PatientCheckedIn checkedIn:
                    alerts.Add(new(checkedIn.PatientId, MessageCatalogue.CheckedIn, checkedIn.Token, null, checkedIn.At + Lifetime));
                    break;
                case TokenCalled called:
                    alerts.Add(new(after.Entries[called.Token - 1].PatientId, MessageCatalogue.DoctorCalling, called.Token, null, called.At + CallLifetime));
                    break;
                case SessionPaused paused:
                    alerts.AddRange(after.Line().Select(e => new QueueAlert(e.PatientId, MessageCatalogue.SessionPaused, e.Token, null, paused.At + Lifetime)));
                    break;
                case SessionClosed:
                    // Nobody called at all: the session did not take place, which patients hear as cancelled (and paid fees are refunded).
                    var template = after.Entries.Any(e => e.CalledAt is not null) ? MessageCatalogue.SessionClosed : MessageCatalogue.SessionCancelled;
                    alerts.AddRange(after.Entries
                        .Where(e => e.State is TokenState.Waiting or TokenState.Recalled or TokenState.Called or TokenState.Skipped or TokenState.AwaitingPayment)
                        .Select(e => new QueueAlert(e.PatientId, template, e.Token, null, null)));
                    break;
            }
        }
        if (after.Status == SessionStatus.Open && before is not null && events.Count > 0)
        {
            alerts.AddRange(Positions(before, after, threshold, events[^1].At + Lifetime));
        }
        return alerts;
    }

    private static IEnumerable<QueueAlert> Positions(OpdSession before, OpdSession after, int threshold, DateTimeOffset expiresAt)
    {
        var wasAhead = Places(before);
        var place = 0;
        foreach (var entry in after.Line())
        {
            var ahead = place++;
            int? previously = wasAhead.TryGetValue(entry.Token, out var p) ? p : null;
            switch (PositionAlerts.Crossed(previously, ahead, threshold))
            {
                case PositionAlert.PlacesAhead:
                    yield return new(entry.PatientId, MessageCatalogue.PlacesAhead, entry.Token, ahead, expiresAt);
                    break;
                case PositionAlert.YouAreNext:
                    yield return new(entry.PatientId, MessageCatalogue.YouAreNext, entry.Token, null, expiresAt);
                    break;
            }
        }
    }

    /// <summary>How many are ahead of each token in line.</summary>
    private static Dictionary<int, int> Places(OpdSession session)
    {
        var places = new Dictionary<int, int>();
        foreach (var entry in session.Line())
        {
            places[entry.Token] = places.Count;
        }
        return places;
    }
}
