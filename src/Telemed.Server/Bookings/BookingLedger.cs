using System.Globalization;
using Marten;
using Telemed.Domain.Messages;
using Telemed.Domain.Queue;
using Telemed.Server.Messages;
using Telemed.Server.Queue;

namespace Telemed.Server.Bookings;

/// <summary>
/// A booking as patients (and the health worker who made it) list it and the no-show sweep finds it: kept in the
/// transaction of the session event that changes it, with the reminder messages it has queued (withdrawn when the
/// booking moves, ends or arrives).
/// </summary>
public sealed record BookingRecord(
    Guid Id,
    Guid SessionId,
    Guid FacilityId,
    IReadOnlyList<Guid> DoctorIds,
    string? Specialty,
    Guid PatientId,
    int Slot,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    BookingState State,
    int? Token,
    Guid? FollowUpOf,
    DateTimeOffset MissedAt,
    IReadOnlyList<Guid> ReminderIds,
    Guid? BookedBy = null);

/// <summary>
/// What booking events mean outside the session: the patient's list of bookings, their reminders, and a message when
/// someone other than the patient — the session's closing, a health worker — cancels or moves a booking. It never refuses
/// a command.
/// </summary>
public sealed class BookingLedger(PatientMessages messages, TimeProvider time) : IQueueLedger
{
    public async Task<QueueError?> Record(
        IDocumentSession session, OpdSession before, OpdSession after, IReadOnlyList<IQueueEvent> events, CancellationToken cancellationToken)
    {
        var changed = new Dictionary<Guid, BookingRecord>();
        async Task<BookingRecord> Current(Guid bookingId) =>
            changed.TryGetValue(bookingId, out var known) ? known
            : await session.LoadAsync<BookingRecord>(bookingId, cancellationToken)
                ?? throw new InvalidOperationException($"Booking {bookingId} of session {after.Id} has no record.");

        foreach (var @event in events)
        {
            switch (@event)
            {
                case SlotBooked booked:
                    changed[booked.BookingId] = await Remind(session, Of(after, after.Booking(booked.BookingId)!), cancellationToken);
                    if (booked.MovedFrom is { } movedFrom && booked.BookedBy != booked.PatientId && booked.Reason is not null
                        && await session.LoadAsync<BookingRecord>(movedFrom, cancellationToken) is { } replaced)
                    {
                        await TellMoved(session, replaced, changed[booked.BookingId], booked.At, cancellationToken);
                    }
                    break;
                case BookingRescheduled moved:
                    var old = await Current(moved.BookingId);
                    await PatientMessages.Withdraw(session, old.ReminderIds, moved.At, cancellationToken);
                    changed[moved.BookingId] = await Remind(session, Of(after, after.Booking(moved.BookingId)!), cancellationToken);
                    if (moved.By != old.PatientId)
                    {
                        await TellMoved(session, old, changed[moved.BookingId], moved.At, cancellationToken);
                    }
                    break;
                case BookingCancelled cancelled:
                    await Ended(cancelled.BookingId, cancelled.At);
                    // A booking moved to another session is told of by the booking that replaced it.
                    if (cancelled.MovedTo is null && cancelled.By != changed[cancelled.BookingId].PatientId)
                    {
                        await TellCancelled(session, changed[cancelled.BookingId], cancelled.At, cancellationToken);
                    }
                    break;
                case BookingMissed missed:
                    await Ended(missed.BookingId, missed.At);
                    break;
                case PatientCheckedIn { BookingId: { } arrivedOn } arrived:
                    await Ended(arrivedOn, arrived.At);
                    break;
            }
        }

        // Cancelled, missed or used: its reminders have nothing left to remind of.
        async Task Ended(Guid bookingId, DateTimeOffset at)
        {
            var ended = await Current(bookingId);
            await PatientMessages.Withdraw(session, ended.ReminderIds, at, cancellationToken);
            var booking = after.Booking(bookingId)!;
            changed[bookingId] = ended with { State = booking.State, Token = booking.Token, ReminderIds = [] };
        }
        foreach (var record in changed.Values)
        {
            session.Store(record);
        }
        return null;
    }

    private static BookingRecord Of(OpdSession session, Booking booking)
    {
        var starts = BookingRules.SlotStartsAt(session, booking.Slot);
        return new BookingRecord(booking.Id, session.Id, session.FacilityId, session.DoctorIds, session.Specialty, booking.PatientId, booking.Slot,
            starts, starts.AddMinutes(session.SlotMinutes), booking.State, booking.Token, booking.FollowUp?.PrescriptionId,
            BookingRules.MissedAt(session, booking), [], booking.BookedBy == Guid.Empty ? null : booking.BookedBy);
    }

    /// <summary>A booking moved by a health worker, not by its patient: they are told its new time.</summary>
    private async Task TellMoved(IDocumentSession session, BookingRecord from, BookingRecord to, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (to.StartsAt > at && await PatientMessages.Addressee(session, to.PatientId, cancellationToken) is { } patient)
        {
            messages.Sms(session, patient, MessageCatalogue.BookingMoved,
                new Dictionary<string, string> { ["from"] = InIndia(from.StartsAt), ["time"] = InIndia(to.StartsAt) }, expiresAt: to.StartsAt);
        }
    }

    /// <summary>A booking cancelled by the session closing or a health worker, not by its patient: they are told, to book another time.</summary>
    private async Task TellCancelled(IDocumentSession session, BookingRecord booking, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (booking.StartsAt > at && await PatientMessages.Addressee(session, booking.PatientId, cancellationToken) is { } patient)
        {
            messages.Sms(session, patient, MessageCatalogue.BookingCancelled, new Dictionary<string, string> { ["time"] = InIndia(booking.StartsAt) },
                expiresAt: booking.StartsAt);
        }
    }

    private static string InIndia(DateTimeOffset at) => at.ToOffset(Delivery.Ist).ToString("d MMM HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Queues the reminder of a booking (see <see cref="Delivery.BookingReminderAt"/>); it lapses when the slot begins.</summary>
    private async Task<BookingRecord> Remind(IDocumentSession session, BookingRecord booking, CancellationToken cancellationToken)
    {
        if (Delivery.BookingReminderAt(booking.StartsAt, time.GetUtcNow()) is not { } remindAt
            || await PatientMessages.Addressee(session, booking.PatientId, cancellationToken) is not { } patient)
        {
            return booking;
        }
        var ids = messages.Sms(session, patient, MessageCatalogue.BookingReminder, new Dictionary<string, string> { ["time"] = InIndia(booking.StartsAt) },
            dueAt: remindAt, expiresAt: booking.StartsAt);
        return booking with { ReminderIds = ids };
    }
}
