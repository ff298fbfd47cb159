using System.Globalization;
namespace Telemed.Domain.Queue;

/// <summary>
/// Every queue command as a pure decision: given the session and the command, the events that happen
/// (none when the command changes nothing, as with a repeated check-in) or the reason it is refused.
/// Whether the caller may manage this session at all (its doctor, or an admin) is checked before deciding;
/// the decisions check what only the domain knows: which doctor holds which token.
/// </summary>
public static class QueueDecisions
{
    private static Result<IReadOnlyList<IQueueEvent>, QueueError> Events(params IQueueEvent[] events) => events;

    private static Result<IReadOnlyList<IQueueEvent>, QueueError> Nothing() => Array.Empty<IQueueEvent>();

    public static Result<IReadOnlyList<IQueueEvent>, QueueError> Pause(OpdSession session, Guid by, DateTimeOffset now) => session.Status switch
    {
        SessionStatus.Open => Events(new SessionPaused(session.Id, by, now)),
        SessionStatus.Paused => new QueueError(QueueErrorCode.AlreadyInState, "The session is already paused."),
        _ => QueueError.Closed,
    };

    public static Result<IReadOnlyList<IQueueEvent>, QueueError> Resume(OpdSession session, Guid by, DateTimeOffset now) => session.Status switch
    {
        SessionStatus.Paused => Events(new SessionResumed(session.Id, by, now)),
        SessionStatus.Open => new QueueError(QueueErrorCode.AlreadyInState, "The session is already open."),
        _ => QueueError.Closed,
    };

    /// <summary>Closing cancels the bookings not yet checked in: nobody will see them, so they are not no-shows.</summary>
    public static Result<IReadOnlyList<IQueueEvent>, QueueError> Close(OpdSession session, Guid by, DateTimeOffset now) =>
        session.Status == SessionStatus.Closed
            ? new QueueError(QueueErrorCode.AlreadyInState, "The session is already closed.")
            : Events([new SessionClosed(session.Id, by, now), .. session.Bookings
                .Where(b => b.State == BookingState.Booked)
                .Select(b => (IQueueEvent)new BookingCancelled(session.Id, b.Id, by, now))]);

    /// <summary>
    /// Checking in twice returns the same token: no event, the caller reads the existing entry. A patient with a booking
    /// checks in on it (its place is already counted); one later than the grace time after the slot began has missed it.
    /// </summary>
    /// <remarks>
    /// A paid session needs <paramref name="paymentId"/>: the token then waits for its payment before joining the line.
    /// A minor needs <paramref name="accompaniedBy"/>, the adult who comes to the consultation with them.
    /// </remarks>
    public static Result<IReadOnlyList<IQueueEvent>, QueueError> CheckIn(
        OpdSession session, Guid patientId, PatientSummary patient, string? complaint, IReadOnlyList<AttachmentRef> attachments, DateTimeOffset now,
        Guid? paymentId = null, AccompanyingAdult? accompaniedBy = null, AssistedBy? assistedBy = null)
    {
        if (session.Entries.Any(e => e.PatientId == patientId && e.IsActive))
        {
            return Nothing();
        }
        var booking = session.Bookings.FirstOrDefault(b => b.PatientId == patientId && b.State == BookingState.Booked);
        if (booking is not null && BookingRules.MissedAt(session, booking) <= now)
        {
            // Too late for the slot: the booking is a no-show, and the patient joins as a walk-in if there is room.
            var missed = new BookingMissed(session.Id, booking.Id, now);
            var walkIn = CheckIn(OpdSession.Evolve(session, missed), patientId, patient, complaint, attachments, now, paymentId, accompaniedBy, assistedBy);
            return walkIn.IsSuccess ? Events([missed, .. walkIn.Value]) : walkIn;
        }
        if (session.Status == SessionStatus.Closed)
        {
            return new QueueError(QueueErrorCode.SessionClosed, "This OPD session is closed to new patients.");
        }
        if (now >= session.EndsAt)
        {
            return new QueueError(QueueErrorCode.SessionEnded, $"This OPD session ended at {session.EndsAt:HH:mm} UTC.");
        }
        if (IndianTime.Day(now) < IndianTime.Day(session.StartsAt))
        {
            return new QueueError(QueueErrorCode.SessionNotToday,
                $"This OPD session is on {IndianTime.Day(session.StartsAt).ToString("d MMM yyyy", CultureInfo.InvariantCulture)}: check in on that day, or book a slot ahead.");
        }
        if (booking is null && session.PlacesTaken >= session.Capacity)
        {
            return new QueueError(QueueErrorCode.SessionFull, $"This OPD session is full ({session.Capacity} patients).");
        }
        if (patient.Age < Identity.Family.AdultAge && accompaniedBy is null)
        {
            return new QueueError(QueueErrorCode.MinorUnaccompanied,
                $"A patient under {Identity.Family.AdultAge} consults only with an adult who comes with them: name that adult to check in.");
        }
        if (session.FeePaise > 0 && paymentId is null)
        {
            return new QueueError(QueueErrorCode.PaymentRequired, "This OPD session charges a fee: check-in starts with its payment.");
        }
        return Events(new PatientCheckedIn(session.Id, session.Entries.Count + 1, patientId, patient, complaint, attachments, now,
            session.FeePaise > 0 ? paymentId : null, accompaniedBy, booking?.Id, assistedBy));
    }

    /// <summary>A payment that succeeded puts its token in line; a repeat is a no-op; one that comes after the hold lapsed is refused (and refunded).</summary>
    public static Result<IReadOnlyList<IQueueEvent>, QueueError> MarkPaid(OpdSession session, int token, Guid paymentId, DateTimeOffset now) =>
        WithEntry(session, token, entry => entry.PaymentId != paymentId
            ? new QueueError(QueueErrorCode.TokenNotFound, $"Token {token} was not paid with this payment.")
            : entry.State switch
            {
                TokenState.AwaitingPayment when session.Status == SessionStatus.Closed =>
                    new QueueError(QueueErrorCode.PaymentTooLate, "The session was closed before the payment arrived; it will be refunded."),
                TokenState.AwaitingPayment => Events(new TokenPaid(session.Id, token, paymentId, now)),
                TokenState.PaymentExpired or TokenState.Cancelled or TokenState.Left =>
                    new QueueError(QueueErrorCode.PaymentTooLate, $"Token {token} is {QueueError.Describe(entry.State)}; the payment will be refunded."),
                _ => Nothing(),
            });

    /// <summary>Held places whose payment did not arrive within <paramref name="hold"/> of check-in.</summary>
    public static Result<IReadOnlyList<IQueueEvent>, QueueError> ExpireHolds(OpdSession session, TimeSpan hold, DateTimeOffset now) =>
        Events([.. session.Entries
            .Where(e => e.State == TokenState.AwaitingPayment && now - e.CheckedInAt >= hold)
            .Select(e => (IQueueEvent)new TokenPaymentExpired(session.Id, e.Token, e.PaymentId!.Value, now))]);

    /// <summary>The doctor records that a called or started consultation could not take place.</summary>
    public static Result<IReadOnlyList<IQueueEvent>, QueueError> MarkNotHeld(OpdSession session, int token, Guid doctorId, string? reason, DateTimeOffset now)
    {
        var why = reason?.Trim() ?? "";
        if (why.Length is < 3 or > 500)
        {
            return new QueueError(QueueErrorCode.WrongTokenState, "Say in 3 to 500 characters why the consultation could not be held.");
        }
        return WithEntry(session, token, entry => entry.State is not (TokenState.Called or TokenState.InConsultation)
            ? QueueError.WrongState(entry, "marked as not held")
            : entry.DoctorId != doctorId
                ? new QueueError(QueueErrorCode.CalledByAnotherDoctor, $"Token {token} is with another doctor.")
                : Events(new TokenNotHeld(session.Id, token, doctorId, why, now)));
    }

    public static Result<IReadOnlyList<IQueueEvent>, QueueError> CallNext(OpdSession session, Guid doctorId, Func<Guid, bool> isOnline, DateTimeOffset now)
    {
        var refusal = CanCall(session, doctorId);
        if (refusal is not null)
        {
            return refusal;
        }
        return session.Line().FirstOrDefault() is { } next
            ? Events(new TokenCalled(session.Id, next.Token, doctorId, !isOnline(next.PatientId), now))
            : new QueueError(QueueErrorCode.NobodyWaiting, "Nobody is waiting.");
    }

    public static Result<IReadOnlyList<IQueueEvent>, QueueError> CallToken(OpdSession session, int token, Guid doctorId, Func<Guid, bool> isOnline, DateTimeOffset now)
    {
        var refusal = CanCall(session, doctorId);
        if (refusal is not null)
        {
            return refusal;
        }
        if (session.Entry(token) is not { } entry)
        {
            return QueueError.TokenNotFound(token);
        }
        return entry.IsInLine
            ? Events(new TokenCalled(session.Id, token, doctorId, !isOnline(entry.PatientId), now))
            : QueueError.WrongState(entry, "called");
    }

    /// <summary>A skip counts as a missed call; enough missed calls make the token a no-show.</summary>
    public static Result<IReadOnlyList<IQueueEvent>, QueueError> Skip(OpdSession session, int token, Guid by, DateTimeOffset now) =>
        WithEntry(session, token, entry => entry.State != TokenState.Called
            ? QueueError.WrongState(entry, "skipped")
            : entry.MissedCalls + 1 >= session.NoShowAfterMissedCalls
                ? Events(new TokenMarkedNoShow(session.Id, token, by, AfterMissedCalls: true, now))
                : Events(new TokenSkipped(session.Id, token, by, now)));

    public static Result<IReadOnlyList<IQueueEvent>, QueueError> MarkNoShow(OpdSession session, int token, Guid by, DateTimeOffset now) =>
        WithEntry(session, token, entry => entry.State is TokenState.Called or TokenState.Skipped
            ? Events(new TokenMarkedNoShow(session.Id, token, by, AfterMissedCalls: false, now))
            : QueueError.WrongState(entry, "marked no-show"));

    public static Result<IReadOnlyList<IQueueEvent>, QueueError> Recall(OpdSession session, int token, Guid by, DateTimeOffset now)
    {
        if (session.Status == SessionStatus.Closed)
        {
            return QueueError.Closed;
        }
        return WithEntry(session, token, entry => entry.State is TokenState.Skipped or TokenState.NoShow
            ? Events(new TokenRecalled(session.Id, token, by, now))
            : QueueError.WrongState(entry, "recalled"));
    }

    public static Result<IReadOnlyList<IQueueEvent>, QueueError> StartConsultation(OpdSession session, int token, Guid doctorId, Guid consultationId, DateTimeOffset now) =>
        WithEntry(session, token, entry => entry.State != TokenState.Called
            ? QueueError.WrongState(entry, "started")
            : entry.DoctorId != doctorId
                ? new QueueError(QueueErrorCode.CalledByAnotherDoctor, $"Token {token} was called by another doctor.")
                : Events(new TokenConsultationStarted(session.Id, token, doctorId, consultationId, now)));

    public static Result<IReadOnlyList<IQueueEvent>, QueueError> Complete(OpdSession session, int token, Guid doctorId, DateTimeOffset now) =>
        WithEntry(session, token, entry => entry.State != TokenState.InConsultation
            ? QueueError.WrongState(entry, "completed")
            : entry.DoctorId != doctorId
                ? new QueueError(QueueErrorCode.CalledByAnotherDoctor, $"Token {token} is with another doctor.")
                : Events(new TokenCompleted(session.Id, token, doctorId, now)));

    public static Result<IReadOnlyList<IQueueEvent>, QueueError> MarkLeft(OpdSession session, int token, Guid by, DateTimeOffset now) =>
        WithEntry(session, token, entry => entry.State is TokenState.Waiting or TokenState.Recalled or TokenState.Called or TokenState.Skipped
            ? Events(new TokenLeft(session.Id, token, by, now))
            : QueueError.WrongState(entry, "marked as left"));

    public static Result<IReadOnlyList<IQueueEvent>, QueueError> Prioritise(OpdSession session, int token, Priority priority, Guid by, DateTimeOffset now) =>
        WithEntry(session, token, entry => !entry.IsInLine
            ? QueueError.WrongState(entry, "prioritised")
            : entry.Priority == priority
                ? Nothing()
                : Events(new TokenPrioritised(session.Id, token, priority, by, now)));

    /// <summary>A patient cancels their own token at any point before the consultation starts.</summary>
    public static Result<IReadOnlyList<IQueueEvent>, QueueError> Cancel(OpdSession session, int token, Guid patientId, DateTimeOffset now)
    {
        if (session.Entry(token) is not { } entry)
        {
            return QueueError.TokenNotFound(token);
        }
        if (entry.PatientId != patientId)
        {
            return QueueError.NotYourToken;
        }
        return entry.State is TokenState.Waiting or TokenState.Recalled or TokenState.Called or TokenState.Skipped
            ? Events(new TokenCancelled(session.Id, token, patientId, now))
            : QueueError.WrongState(entry, "cancelled");
    }

    private static QueueError? CanCall(OpdSession session, Guid doctorId)
    {
        if (!session.HasDoctor(doctorId))
        {
            return QueueError.NotSessionDoctor;
        }
        if (session.Status != SessionStatus.Open)
        {
            return session.Status == SessionStatus.Paused ? QueueError.Paused : QueueError.Closed;
        }
        return session.Entries.FirstOrDefault(e => e.IsWithDoctor && e.DoctorId == doctorId) is { } current
            ? new QueueError(QueueErrorCode.DoctorBusy, $"Token {current.Token} is still {QueueError.Describe(current.State)} with you; complete or skip it first.")
            : null;
    }

    private static Result<IReadOnlyList<IQueueEvent>, QueueError> WithEntry(
        OpdSession session, int token, Func<QueueEntry, Result<IReadOnlyList<IQueueEvent>, QueueError>> decide) =>
        session.Entry(token) is { } entry ? decide(entry) : QueueError.TokenNotFound(token);
}
