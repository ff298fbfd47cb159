using System.Collections.Immutable;

namespace Telemed.Domain.Queue;

public enum SessionStatus
{
    Open,
    Paused,
    Closed,
}

public enum TokenState
{
    Waiting,
    Called,
    InConsultation,
    Completed,
    Skipped,
    NoShow,
    Recalled,
    Cancelled,
    Left,

    /// <summary>Checked in to a paid session: the place is held until the payment succeeds or the hold expires.</summary>
    AwaitingPayment,

    /// <summary>The held place lapsed unpaid.</summary>
    PaymentExpired,

    /// <summary>The doctor could not hold the consultation (network failure, wrong patient…); a paid fee is refunded.</summary>
    NotHeld,
}

/// <summary>Set by staff; a higher priority is called first, and the queue shows why.</summary>
public enum Priority
{
    Normal,
    Elderly,
    Emergency,
}

public sealed record QueueEntry(
    int Token,
    Guid PatientId,
    PatientSummary Patient,
    TokenState State,
    Priority Priority,
    int MissedCalls,
    Guid? DoctorId,
    string? Complaint,
    IReadOnlyList<AttachmentRef> Attachments,
    DateTimeOffset CheckedInAt,
    DateTimeOffset? CalledAt = null,
    DateTimeOffset? StartedAt = null,
    bool CalledWhileOffline = false,
    Guid? ConsultationId = null,
    Guid? PaymentId = null,
    AccompanyingAdult? AccompaniedBy = null,
    Guid? BookingId = null,
    DateTimeOffset? SlotStartsAt = null,
    AssistedBy? AssistedBy = null)
{
    /// <summary>Waiting to be called: fresh, or recalled after a skip.</summary>
    public bool IsInLine => State is TokenState.Waiting or TokenState.Recalled;

    /// <summary>Still expected to be seen today: a second check-in returns this token instead of a new one.</summary>
    public bool IsActive => State is TokenState.Waiting or TokenState.Recalled or TokenState.Called or TokenState.InConsultation or TokenState.Skipped
        or TokenState.AwaitingPayment;

    public bool IsWithDoctor => State is TokenState.Called or TokenState.InConsultation;
}

/// <summary>
/// An OPD session: a doctor's (or a group of doctors') queue for a time window. Built only from its events;
/// <see cref="Version"/> is the stream version and guards every change against lost updates.
/// Tokens are 1, 2, 3… in check-in order, so token n is always <c>Entries[n - 1]</c>.
/// </summary>
public sealed record OpdSession(
    Guid Id,
    long Version,
    Guid FacilityId,
    IReadOnlyList<Guid> DoctorIds,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    long FeePaise,
    int Capacity,
    string? Specialty,
    int SlotMinutes,
    int NoShowAfterMissedCalls,
    SessionStatus Status,
    ImmutableList<QueueEntry> Entries,
    ImmutableList<double> RecentConsultationMinutes)
{
    /// <summary>Slots booked ahead, in booking order.</summary>
    public ImmutableList<Booking> Bookings { get; init; } = [];

    /// <summary>How many finished consultations the wait estimate averages over.</summary>
    public const int EstimateWindow = 5;

    public QueueEntry? Entry(int token) => token >= 1 && token <= Entries.Count ? Entries[token - 1] : null;

    public bool HasDoctor(Guid doctorId) => DoctorIds.Contains(doctorId);

    /// <summary>
    /// Places taken against capacity: everyone who checked in, less those who cancelled or left, and the bookings whose
    /// patient has not checked in yet.
    /// </summary>
    public int PlacesTaken => Entries.Count(e => e.State is not (TokenState.Cancelled or TokenState.Left or TokenState.PaymentExpired))
        + Bookings.Count(b => b.State == BookingState.Booked);

    public Booking? Booking(Guid bookingId) => Bookings.FirstOrDefault(b => b.Id == bookingId);

    /// <summary>The line, in <see cref="CallingOrder"/>.</summary>
    public IEnumerable<QueueEntry> Line() => CallingOrder.Of(Entries.Where(e => e.IsInLine));

    public TimeSpan AverageConsultation => TimeSpan.FromMinutes(
        RecentConsultationMinutes.IsEmpty ? SlotMinutes : RecentConsultationMinutes.Average());

    public static OpdSession From(SessionOpened opened) => new(
        opened.SessionId, 1, opened.FacilityId, opened.DoctorIds, opened.StartsAt, opened.EndsAt, opened.FeePaise, opened.Capacity,
        opened.Specialty, opened.SlotMinutes, opened.NoShowAfterMissedCalls, SessionStatus.Open, [], []);

    public static OpdSession Evolve(OpdSession? state, IQueueEvent @event)
    {
        if (@event is SessionOpened opened)
        {
            return From(opened);
        }
        if (state is null)
        {
            throw new InvalidOperationException($"{@event.GetType().Name} before SessionOpened on session {@event.SessionId}.");
        }
        var next = @event switch
        {
            SessionPaused => state with { Status = SessionStatus.Paused },
            SessionResumed => state with { Status = SessionStatus.Open },
            SessionClosed => state with { Status = SessionStatus.Closed },
            PatientCheckedIn e => state.CheckIn(e),
            TokenCalled e => state.Update(e.Token, entry => entry with
            {
                State = TokenState.Called, DoctorId = e.DoctorId, CalledAt = e.At, CalledWhileOffline = e.PatientWasOffline,
            }),
            TokenSkipped e => state.Update(e.Token, entry => entry with { State = TokenState.Skipped, MissedCalls = entry.MissedCalls + 1, DoctorId = null }),
            TokenMarkedNoShow e => state.Update(e.Token, entry => entry with
            {
                State = TokenState.NoShow, MissedCalls = entry.MissedCalls + (e.AfterMissedCalls ? 1 : 0), DoctorId = null,
            }),
            TokenRecalled e => state.Update(e.Token, entry => entry with { State = TokenState.Recalled }),
            TokenConsultationStarted e => state.Update(e.Token, entry => entry with { State = TokenState.InConsultation, StartedAt = e.At, ConsultationId = e.ConsultationId }),
            TokenCompleted e => state.Complete(e),
            TokenCancelled e => state.Update(e.Token, entry => entry with { State = TokenState.Cancelled, DoctorId = null }),
            TokenLeft e => state.Update(e.Token, entry => entry with { State = TokenState.Left, DoctorId = null }),
            TokenPrioritised e => state.Update(e.Token, entry => entry with { Priority = e.Priority }),
            TokenPaid e => state.Update(e.Token, entry => entry with { State = TokenState.Waiting }),
            TokenPaymentExpired e => state.Update(e.Token, entry => entry with { State = TokenState.PaymentExpired }),
            TokenNotHeld e => state.Update(e.Token, entry => entry with { State = TokenState.NotHeld, DoctorId = null }),
            SlotBooked e => state with { Bookings = state.Bookings.Add(new Booking(e.BookingId, e.Slot, e.PatientId, BookingState.Booked, e.FollowUp, e.At, BookedBy: e.BookedBy)) },
            BookingRescheduled e => state.UpdateBooking(e.BookingId, b => b with { Slot = e.Slot }),
            BookingCancelled e => state.UpdateBooking(e.BookingId, b => b with { State = BookingState.Cancelled }),
            BookingMissed e => state.UpdateBooking(e.BookingId, b => b with { State = BookingState.Missed }),
            _ => throw new InvalidOperationException($"Unknown queue event {@event.GetType().Name}."),
        };
        return next with { Version = state.Version + 1 };
    }

    private OpdSession CheckIn(PatientCheckedIn e)
    {
        var booking = e.BookingId is { } bookingId ? Booking(bookingId) : null;
        var entry = new QueueEntry(e.Token, e.PatientId, e.Patient, e.PaymentId is null ? TokenState.Waiting : TokenState.AwaitingPayment,
            Priority.Normal, 0, null, e.Complaint, e.Attachments, e.At, PaymentId: e.PaymentId, AccompaniedBy: e.AccompaniedBy,
            BookingId: booking?.Id, SlotStartsAt: booking is null ? null : BookingRules.SlotStartsAt(this, booking.Slot), AssistedBy: e.AssistedBy);
        var next = this with { Entries = Entries.Add(entry) };
        return booking is null ? next : next.UpdateBooking(booking.Id, b => b with { State = BookingState.CheckedIn, Token = e.Token });
    }

    private OpdSession UpdateBooking(Guid bookingId, Func<Booking, Booking> change)
    {
        var index = Bookings.FindIndex(b => b.Id == bookingId);
        return this with { Bookings = Bookings.SetItem(index, change(Bookings[index])) };
    }

    private OpdSession Update(int token, Func<QueueEntry, QueueEntry> change) =>
        this with { Entries = Entries.SetItem(token - 1, change(Entries[token - 1])) };

    private OpdSession Complete(TokenCompleted completed)
    {
        var entry = Entries[completed.Token - 1];
        var minutes = (completed.At - (entry.StartedAt ?? entry.CalledAt ?? completed.At)).TotalMinutes;
        var recent = RecentConsultationMinutes.Add(Math.Max(0, minutes));
        if (recent.Count > EstimateWindow)
        {
            recent = recent.RemoveAt(0);
        }
        return Update(completed.Token, e => e with { State = TokenState.Completed }) with { RecentConsultationMinutes = recent };
    }
}
