using JasperFx.Events;
using Marten.Events.Aggregation;
using Telemed.Domain.Queue;

namespace Telemed.Server.Queue;

/// <summary>
/// A session's whole state, folded by the domain's own <see cref="OpdSession.Evolve"/>. Projected asynchronously: the
/// stored document is a snapshot the daemon keeps near the stream's head, so a restarted node folds only the events
/// after it, and no command pays for writing a 1,000-patient document. Commands read the state through
/// <c>FetchForWriting</c>, which adds the events the snapshot has not caught up with.
/// </summary>
public sealed class OpdSessionProjection : SingleStreamProjection<OpdSession, Guid>
{
    public override OpdSession Evolve(OpdSession? snapshot, Guid id, IEvent e) =>
        e.Data is IQueueEvent queueEvent ? OpdSession.Evolve(snapshot, queueEvent) : snapshot!;
}

/// <summary>
/// What lists, boards and look-ups query: a session's facts without its queue, current in the transaction that changes them.
/// </summary>
public sealed record SessionListing(
    Guid Id,
    Guid FacilityId,
    IReadOnlyList<Guid> DoctorIds,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    long FeePaise,
    SessionStatus Status)
{
    public bool HasDoctor(Guid doctorId) => DoctorIds.Contains(doctorId);
}

/// <summary>Kept inline from the four session-level events, so a list never shows a closed session as open.</summary>
public sealed class SessionListingProjection : SingleStreamProjection<SessionListing, Guid>
{
    public SessionListingProjection()
    {
        IncludeType<SessionOpened>();
        IncludeType<SessionPaused>();
        IncludeType<SessionResumed>();
        IncludeType<SessionClosed>();
    }

    public override SessionListing Evolve(SessionListing? snapshot, Guid id, IEvent e) => e.Data switch
    {
        SessionOpened o => new SessionListing(o.SessionId, o.FacilityId, o.DoctorIds, o.StartsAt, o.EndsAt, o.FeePaise, SessionStatus.Open),
        SessionPaused => snapshot! with { Status = SessionStatus.Paused },
        SessionResumed => snapshot! with { Status = SessionStatus.Open },
        SessionClosed => snapshot! with { Status = SessionStatus.Closed },
        _ => snapshot!,
    };
}
