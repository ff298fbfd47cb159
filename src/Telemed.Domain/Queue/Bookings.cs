namespace Telemed.Domain.Queue;

public enum BookingState
{
    /// <summary>The slot is held; the patient has not checked in yet.</summary>
    Booked,

    /// <summary>The patient checked in and holds a token for it.</summary>
    CheckedIn,

    Cancelled,

    /// <summary>Not checked in by the grace time after the slot began: a no-show.</summary>
    Missed,
}

/// <summary>A follow-up the patient's doctor asked for: the prescription that asked, and the doctor who wrote it.</summary>
public sealed record FollowUpOf(Guid PrescriptionId, Guid DoctorId);

/// <summary>The booking a new one replaces, in another session, and why someone acting for the patient moved it (null when the patient did).</summary>
public sealed record BookingMove(Guid BookingId, string? Reason);

/// <summary>One slot of an OPD session booked ahead by (or for) one patient; <paramref name="BookedBy"/>: the patient, their guardian or a health worker.</summary>
public sealed record Booking(Guid Id, int Slot, Guid PatientId, BookingState State, FollowUpOf? FollowUp, DateTimeOffset BookedAt, int? Token = null, Guid BookedBy = default)
{
    /// <summary>Holds its slot: booked, or checked in on it.</summary>
    public bool HoldsSlot => State is BookingState.Booked or BookingState.CheckedIn;
}

/// <summary>A slot of a session as patients see it: when it starts and whether it can still be booked.</summary>
public sealed record SlotView(int Slot, DateTimeOffset StartsAt, DateTimeOffset EndsAt, bool Free);

/// <summary>
/// Slots come from the session's window and slot length: slot n starts <c>n × SlotMinutes</c> after the session starts,
/// and only whole slots count. A slot is booked by one patient at a time; a booking still not checked in
/// <see cref="NoShowGrace"/> after its slot began is a no-show.
/// </summary>
public static class BookingRules
{
    public static readonly TimeSpan NoShowGrace = TimeSpan.FromMinutes(15);

    public static int SlotCount(OpdSession session) => (int)((session.EndsAt - session.StartsAt).TotalMinutes / session.SlotMinutes);

    public static DateTimeOffset SlotStartsAt(OpdSession session, int slot) => session.StartsAt.AddMinutes((double)slot * session.SlotMinutes);

    /// <summary>Every slot of the session; free means not held by a booking, not begun, and the session has places left.</summary>
    public static IReadOnlyList<SlotView> Slots(OpdSession session, DateTimeOffset now)
    {
        var held = session.Bookings.Where(b => b.HoldsSlot).Select(b => b.Slot).ToHashSet();
        var open = session.Status != SessionStatus.Closed && session.PlacesTaken < session.Capacity;
        return Enumerable.Range(0, SlotCount(session))
            .Select(slot =>
            {
                var starts = SlotStartsAt(session, slot);
                return new SlotView(slot, starts, starts.AddMinutes(session.SlotMinutes), open && !held.Contains(slot) && starts > now);
            })
            .ToList();
    }

    /// <summary>TPG 2020 counts a visit as a follow-up within six months of the consultation that asked for it.</summary>
    public const int FollowUpWithinMonths = 6;

    /// <summary>
    /// The follow-up a prescription asks for, booked in a slot starting at <paramref name="slotStartsAt"/>; its patient and
    /// doctor are checked by the caller (who may see the prescription, who runs the session).
    /// </summary>
    public static Result<FollowUpOf, Invalid> FollowUp(Prescriptions.PrescriptionContent prescription, DateTimeOffset slotStartsAt)
    {
        if (prescription.FollowUpOn is null)
        {
            return new Invalid("This prescription asks for no follow-up: book an ordinary visit instead.");
        }
        return slotStartsAt > prescription.IssuedAt.AddMonths(FollowUpWithinMonths)
            ? new Invalid($"A follow-up is within {FollowUpWithinMonths} months of the prescription; later, it is a new consultation.")
            : new FollowUpOf(prescription.PrescriptionId, prescription.Doctor.Id);
    }

    public const int ReasonMaxLength = 200;

    /// <summary>Why someone acting for the patient (a health worker) moves or cancels their booking: kept on the booking's event.</summary>
    public static Result<string, Invalid> ChangeReason(string? raw)
    {
        var reason = raw?.Trim();
        if (string.IsNullOrEmpty(reason))
        {
            return new Invalid("Give the reason for the change: the patient's booking keeps it.");
        }
        return reason.Length > ReasonMaxLength ? new Invalid($"The reason is at most {ReasonMaxLength} characters.") : reason;
    }

    /// <summary>When an unarrived booking becomes a no-show.</summary>
    public static DateTimeOffset MissedAt(OpdSession session, Booking booking) => SlotStartsAt(session, booking.Slot) + NoShowGrace;
}

/// <summary>
/// Booking ahead as pure decisions on the session stream, so a slot is taken exactly once: the session's events are
/// appended at the version they were decided on, and a second booking of the same slot decides on the first one's result.
/// </summary>
public static class BookingDecisions
{
    private static Result<IReadOnlyList<IQueueEvent>, QueueError> Events(params IQueueEvent[] events) => events;

    public static Result<IReadOnlyList<IQueueEvent>, QueueError> Book(
        OpdSession session, Guid bookingId, int slot, Guid patientId, Guid bookedBy, FollowUpOf? followUp, DateTimeOffset now, BookingMove? movedFrom = null)
    {
        if (session.Booking(bookingId) is { } repeated)
        {
            return repeated.PatientId == patientId ? Array.Empty<IQueueEvent>() : QueueError.NotYourBooking;
        }
        if (session.Bookings.Any(b => b.PatientId == patientId && b.State == BookingState.Booked)
            || session.Entries.Any(e => e.PatientId == patientId && e.IsActive))
        {
            return new QueueError(QueueErrorCode.AlreadyBooked, "You already have a place in this session: reschedule or cancel it instead.");
        }
        if (followUp is not null && !session.HasDoctor(followUp.DoctorId))
        {
            return new QueueError(QueueErrorCode.NotFollowUpDoctor, "A follow-up is booked in a session of the doctor who asked for it.");
        }
        if (SlotRefusal(session, slot, now) is { } refused)
        {
            return refused;
        }
        return session.PlacesTaken >= session.Capacity
            ? new QueueError(QueueErrorCode.SessionFull, $"This OPD session is full ({session.Capacity} patients).")
            : Events(new SlotBooked(session.Id, bookingId, slot, patientId, bookedBy, followUp, now, movedFrom?.BookingId, movedFrom?.Reason));
    }

    public static Result<IReadOnlyList<IQueueEvent>, QueueError> Reschedule(OpdSession session, Guid bookingId, int slot, Guid patientId, DateTimeOffset now) =>
        Own(session, bookingId, b => b.PatientId == patientId, "rescheduled", booking => Rescheduled(session, booking, slot, patientId, null, now));

    public static Result<IReadOnlyList<IQueueEvent>, QueueError> Cancel(OpdSession session, Guid bookingId, Guid patientId, DateTimeOffset now) =>
        Own(session, bookingId, b => b.PatientId == patientId, "cancelled", _ => Events(new BookingCancelled(session.Id, bookingId, patientId, now)));

    /// <summary>
    /// A health worker moves a booking they made for a patient to another slot of its session, with a reason; a booking
    /// the patient (or anyone else) made is not theirs to change.
    /// </summary>
    public static Result<IReadOnlyList<IQueueEvent>, QueueError> RescheduleFor(
        OpdSession session, Guid bookingId, int slot, Guid healthWorkerId, string reason, DateTimeOffset now) =>
        Own(session, bookingId, b => b.BookedBy == healthWorkerId, "rescheduled", booking => Rescheduled(session, booking, slot, healthWorkerId, reason, now));

    /// <summary>A health worker cancels a booking they made for a patient, with a reason.</summary>
    public static Result<IReadOnlyList<IQueueEvent>, QueueError> CancelFor(OpdSession session, Guid bookingId, Guid healthWorkerId, string reason, DateTimeOffset now) =>
        Own(session, bookingId, b => b.BookedBy == healthWorkerId, "cancelled",
            _ => Events(new BookingCancelled(session.Id, bookingId, healthWorkerId, now, Reason: reason)));

    /// <summary>A health worker gives up a booking they made, replaced by <paramref name="movedTo"/> in another session.</summary>
    public static Result<IReadOnlyList<IQueueEvent>, QueueError> MoveOutFor(
        OpdSession session, Guid bookingId, Guid healthWorkerId, Guid movedTo, string reason, DateTimeOffset now) =>
        Own(session, bookingId, b => b.BookedBy == healthWorkerId, "moved",
            _ => Events(new BookingCancelled(session.Id, bookingId, healthWorkerId, now, movedTo, reason)));

    private static Result<IReadOnlyList<IQueueEvent>, QueueError> Rescheduled(OpdSession session, Booking booking, int slot, Guid by, string? reason, DateTimeOffset now) =>
        booking.Slot == slot ? Array.Empty<IQueueEvent>()
        : SlotRefusal(session, slot, now) is { } refused ? refused
        : Events(new BookingRescheduled(session.Id, booking.Id, slot, by, now, reason));

    /// <summary>
    /// Moving a booking to another session is booking the new slot there first (the ordinary <see cref="Book"/>, so no slot
    /// is taken twice) and then giving this one up, naming the booking that replaced it.
    /// </summary>
    public static Result<IReadOnlyList<IQueueEvent>, QueueError> MoveOut(OpdSession session, Guid bookingId, Guid patientId, Guid movedTo, DateTimeOffset now) =>
        Own(session, bookingId, b => b.PatientId == patientId, "moved", _ => Events(new BookingCancelled(session.Id, bookingId, patientId, now, movedTo)));

    /// <summary>Every booking whose patient has not checked in by the grace time after its slot began.</summary>
    public static Result<IReadOnlyList<IQueueEvent>, QueueError> RecordNoShows(OpdSession session, DateTimeOffset now) =>
        Events([.. session.Bookings
            .Where(b => b.State == BookingState.Booked && BookingRules.MissedAt(session, b) <= now)
            .Select(b => (IQueueEvent)new BookingMissed(session.Id, b.Id, now))]);

    private static Result<IReadOnlyList<IQueueEvent>, QueueError> Own(
        OpdSession session, Guid bookingId, Func<Booking, bool> mayChange, string action, Func<Booking, Result<IReadOnlyList<IQueueEvent>, QueueError>> decide)
    {
        if (session.Booking(bookingId) is not { } booking)
        {
            return QueueError.BookingNotFound;
        }
        if (!mayChange(booking))
        {
            return QueueError.NotYourBooking;
        }
        if (session.Status == SessionStatus.Closed)
        {
            return QueueError.Closed;
        }
        return booking.State == BookingState.Booked
            ? decide(booking)
            : new QueueError(QueueErrorCode.WrongBookingState, $"This booking is {Describe(booking.State)}, so it cannot be {action}.");
    }

    private static QueueError? SlotRefusal(OpdSession session, int slot, DateTimeOffset now)
    {
        if (session.Status == SessionStatus.Closed)
        {
            return QueueError.Closed;
        }
        if (slot < 0 || slot >= BookingRules.SlotCount(session))
        {
            return new QueueError(QueueErrorCode.SlotNotFound, $"This session has slots 0 to {BookingRules.SlotCount(session) - 1}.");
        }
        if (BookingRules.SlotStartsAt(session, slot) <= now)
        {
            return new QueueError(QueueErrorCode.SlotStarted, "This slot has already begun: choose a later one, or check in as a walk-in.");
        }
        return session.Bookings.Any(b => b.Slot == slot && b.HoldsSlot)
            ? new QueueError(QueueErrorCode.SlotTaken, "Someone else has just booked this slot: choose another.")
            : null;
    }

    public static string Describe(BookingState state) => state switch
    {
        BookingState.Booked => "booked",
        BookingState.CheckedIn => "checked in",
        BookingState.Cancelled => "cancelled",
        BookingState.Missed => "missed (not checked in in time)",
        _ => state.ToString(),
    };
}
