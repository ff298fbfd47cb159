using Telemed.Domain;
using Telemed.Domain.Queue;
using Telemed.Server.Infrastructure;
using Telemed.Server.Queue;

namespace Telemed.Server.Bookings;

/// <summary>Booking commands run through <see cref="QueueService"/> like every other command on the session stream.</summary>
public abstract record BookingCommand(Guid BookingId, string Action) : QueueCommand(Action)
{
    public override string Resource(Guid sessionId) => $"opd-session/{sessionId}/booking/{BookingId}";
}

/// <summary>The booking id is chosen once, so a retried decision books the same booking.</summary>
public sealed record BookSlot(Guid PatientId, Guid BookedBy, int Slot, FollowUpOf? FollowUp, BookingMove? MovedFrom = null) : BookingCommand(Ids.New(), "book")
{
    public override bool PatientOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        BookingDecisions.Book(session, BookingId, Slot, PatientId, BookedBy, FollowUp, now, MovedFrom);
}

public sealed record RescheduleBooking(Guid BookingId, int Slot) : BookingCommand(BookingId, "reschedule booking")
{
    public override bool PatientOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        BookingDecisions.Reschedule(session, BookingId, Slot, caller, now);
}

public sealed record CancelBooking(Guid BookingId) : BookingCommand(BookingId, "cancel booking")
{
    public override bool PatientOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        BookingDecisions.Cancel(session, BookingId, caller, now);
}

/// <summary>Gives up a booking the patient has just replaced with <paramref name="MovedTo"/> in another session.</summary>
public sealed record MoveBookingOut(Guid BookingId, Guid MovedTo) : BookingCommand(BookingId, "move booking to another session")
{
    public override bool PatientOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        BookingDecisions.MoveOut(session, BookingId, caller, MovedTo, now);
}

public sealed record RecordNoShows() : QueueCommand("record booking no-shows")
{
    public override bool SystemOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        BookingDecisions.RecordNoShows(session, now);
}
