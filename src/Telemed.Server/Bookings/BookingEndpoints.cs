using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Telemed.Domain.Identity;
using Telemed.Domain.Queue;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Prescriptions;
using Telemed.Server.Queue;

namespace Telemed.Server.Bookings;

public sealed record SessionSlots(Guid SessionId, int SlotMinutes, IReadOnlyList<SlotView> Slots);

/// <summary><c>followUpOf</c>: the patient's prescription whose follow-up date this booking answers.</summary>
public sealed record BookingRequest(int? Slot, Guid? FollowUpOf);

public sealed record RescheduleRequest(int? Slot);

/// <summary>Where to move a booking: a slot of another session.</summary>
public sealed record MoveRequest(Guid? SessionId, int? Slot);

public sealed record BookingView(
    Guid Id,
    Guid SessionId,
    Guid FacilityId,
    IReadOnlyList<SessionDoctor> Doctors,
    string? Specialty,
    int Slot,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    BookingState State,
    int? Token,
    Guid? FollowUpOf);

/// <summary>
/// Booking a slot of an OPD session ahead, moving it and cancelling it: the patient for themselves (a guardian acting
/// for a family member books for them). Each is a command on the session stream, so two bookings of one slot never both succeed.
/// </summary>
public static class BookingEndpoints
{
    /// <summary>How far back a patient's list of bookings reaches.</summary>
    public static readonly TimeSpan ListedFor = TimeSpan.FromDays(30);

    public static void MapBookings(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/api/sessions/{sessionId:guid}").WithTags("Bookings");
        sessions.MapGet("/slots", Slots).WithSummary("The session's slots (from its slot length) and which are free to book.");
        sessions.MapPost("/bookings", Book).RequireRateLimiting(Security.CheckInLimit)
            .WithSummary("Patient: book a free slot ahead ({slot}, optionally {followUpOf: prescriptionId}).");
        sessions.MapPut("/bookings/{bookingId:guid}", Reschedule).WithSummary("Patient: move my booking to another free slot of the session.");
        sessions.MapPost("/bookings/{bookingId:guid}/cancel", Cancel).WithSummary("Patient: cancel my booking; its slot is free again.");
        sessions.MapPost("/bookings/{bookingId:guid}/move", Move).RequireRateLimiting(Security.CheckInLimit)
            .WithSummary("Patient: move my booking to a free slot of another session ({sessionId, slot}); answers the new booking.");
        app.MapGet("/api/me/bookings", Mine).WithTags("Bookings").RequireAuthorization(Roles.Patient)
            .WithSummary("Patient: my bookings, upcoming and of the last 30 days.");
    }

    private static async Task<IResult> Slots(Guid sessionId, QueueService queue, TimeProvider time, CancellationToken cancellationToken) =>
        await queue.Load(sessionId, cancellationToken) is { } session
            ? TypedResults.Ok(new SessionSlots(session.Id, session.SlotMinutes, BookingRules.Slots(session, time.GetUtcNow())))
            : Problems.NotFound("There is no such OPD session.");

    private static async Task<IResult> Book(
        Guid sessionId, BookingRequest request, HttpContext http, IQuerySession db, QueueService queue, CancellationToken cancellationToken)
    {
        var user = http.User;
        if (!user.IsInRole(Roles.Patient))
        {
            return Problems.Forbidden("Only patients book slots.");
        }
        if (request.Slot is not { } slot)
        {
            return Problems.Invalid("slot", "Slot is required: the number of a free slot from GET /api/sessions/{sessionId}/slots.");
        }
        if (await queue.Load(sessionId, cancellationToken) is not { } session)
        {
            return Problems.NotFound("There is no such OPD session.");
        }
        var patientId = user.AccountId();
        FollowUpOf? followUp = null;
        if (request.FollowUpOf is { } prescriptionId)
        {
            var prescription = await PrescriptionEndpoints.Load(db, prescriptionId, cancellationToken);
            if (prescription is null || prescription.Content.Patient.Id != patientId)
            {
                return Problems.NotFound("You have no prescription with this id.");
            }
            var asked = BookingRules.FollowUp(prescription.Content, BookingRules.SlotStartsAt(session, slot));
            if (!asked.IsSuccess)
            {
                return Problems.Invalid("followUpOf", asked.Error.Message);
            }
            followUp = asked.Value;
        }
        var command = new BookSlot(patientId, user.ActorId(), slot, followUp);
        var outcome = await queue.Execute(user, sessionId, command, null, cancellationToken);
        if (!outcome.Succeeded)
        {
            return QueueEndpoints.Failure(outcome, http);
        }
        var view = await View(db, outcome.Session!, outcome.Session!.Booking(command.BookingId)!, cancellationToken);
        return TypedResults.Created($"/api/sessions/{sessionId}/bookings/{command.BookingId}", view);
    }

    private static async Task<IResult> Reschedule(
        Guid sessionId, Guid bookingId, RescheduleRequest request, HttpContext http, IQuerySession db, QueueService queue, CancellationToken cancellationToken) =>
        request.Slot is { } slot
            ? await Run(sessionId, new RescheduleBooking(bookingId, slot), http, db, queue, cancellationToken)
            : Problems.Invalid("slot", "Slot is required: the number of a free slot from GET /api/sessions/{sessionId}/slots.");

    /// <summary>
    /// Books the new slot through the other session's own booking command (a slot is never taken twice) and gives up the old
    /// booking in one transaction over both session streams: should either be refused (the slot taken, the old booking
    /// checked in, cancelled or missed in the meantime), nothing is saved, so the patient never holds both nor neither.
    /// </summary>
    private static async Task<IResult> Move(
        Guid sessionId, Guid bookingId, MoveRequest request, HttpContext http, IQuerySession db, QueueService queue, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var user = http.User;
        if (!user.IsInRole(Roles.Patient))
        {
            return Problems.Forbidden("Only patients move their bookings.");
        }
        var errors = new Telemed.Domain.FieldErrors();
        if (request.SessionId is null)
        {
            errors.Add("sessionId", "Name the session to move the booking to.");
        }
        if (request.Slot is null)
        {
            errors.Add("slot", "Slot is required: the number of a free slot from GET /api/sessions/{sessionId}/slots.");
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        var targetId = request.SessionId!.Value;
        if (targetId == sessionId)
        {
            return await Run(sessionId, new RescheduleBooking(bookingId, request.Slot!.Value), http, db, queue, cancellationToken);
        }
        var patientId = user.AccountId();
        if (await queue.Load(sessionId, cancellationToken) is not { } from)
        {
            return Problems.NotFound("There is no such OPD session.");
        }
        var moveOut = new MoveBookingOut(bookingId, Guid.Empty);
        var movable = moveOut.Decide(from, patientId, _ => false, time.GetUtcNow());
        if (!movable.IsSuccess)
        {
            var forbidden = movable.Error.Code == QueueErrorCode.NotYourBooking;
            if (forbidden)
            {
                await queue.Audit(patientId, moveOut.Resource(sessionId), moveOut.Action, cancellationToken);
            }
            return QueueEndpoints.Failure(new QueueOutcome(forbidden ? QueueFailure.Forbidden : QueueFailure.Refused, from, [], movable.Error), http);
        }
        if (await queue.Load(targetId, cancellationToken) is not { } to)
        {
            return Problems.Invalid("sessionId", "There is no such OPD session.");
        }
        FollowUpOf? followUp = null;
        if (from.Booking(bookingId)!.FollowUp is { } asked)
        {
            // A follow-up stays one only in a session of its doctor and within the months TPG 2020 allows.
            var prescription = await PrescriptionEndpoints.Load(db, asked.PrescriptionId, cancellationToken);
            var still = BookingRules.FollowUp(prescription!.Content, BookingRules.SlotStartsAt(to, request.Slot!.Value));
            if (!still.IsSuccess)
            {
                return Problems.Invalid("sessionId", still.Error.Message);
            }
            followUp = still.Value;
        }
        var book = new BookSlot(patientId, user.ActorId(), request.Slot!.Value, followUp, new BookingMove(bookingId, null));
        var outcomes = await queue.ExecuteTogether(user, [(targetId, book), (sessionId, new MoveBookingOut(bookingId, book.BookingId))], cancellationToken);
        if (!outcomes[0].Succeeded)
        {
            return QueueEndpoints.Failure(outcomes[0], http);
        }
        var view = await View(db, outcomes[0].Session!, outcomes[0].Session!.Booking(book.BookingId)!, cancellationToken);
        return TypedResults.Created($"/api/sessions/{targetId}/bookings/{book.BookingId}", view);
    }

    private static Task<IResult> Cancel(Guid sessionId, Guid bookingId, HttpContext http, IQuerySession db, QueueService queue, CancellationToken cancellationToken) =>
        Run(sessionId, new CancelBooking(bookingId), http, db, queue, cancellationToken);

    private static async Task<IResult> Run(
        Guid sessionId, BookingCommand command, HttpContext http, IQuerySession db, QueueService queue, CancellationToken cancellationToken)
    {
        var outcome = await queue.Execute(http.User, sessionId, command, null, cancellationToken);
        return outcome.Succeeded
            ? TypedResults.Ok(await View(db, outcome.Session!, outcome.Session!.Booking(command.BookingId)!, cancellationToken))
            : QueueEndpoints.Failure(outcome, http);
    }

    private static async Task<Ok<IReadOnlyList<BookingView>>> Mine(ClaimsPrincipal user, IQuerySession db, TimeProvider time, CancellationToken cancellationToken)
    {
        var patientId = user.AccountId();
        var since = time.GetUtcNow() - ListedFor;
        var bookings = await db.Query<BookingRecord>().Where(b => b.PatientId == patientId && b.StartsAt > since)
            .OrderBy(b => b.StartsAt).Take(100).ToListAsync(cancellationToken);
        var doctors = await db.LoadManyAsync<StaffAccount>(cancellationToken, bookings.SelectMany(b => b.DoctorIds).Distinct());
        return TypedResults.Ok<IReadOnlyList<BookingView>>(bookings.Select(b => new BookingView(
            b.Id, b.SessionId, b.FacilityId, Named(b.DoctorIds, doctors), b.Specialty, b.Slot, b.StartsAt, b.EndsAt, b.State, b.Token, b.FollowUpOf)).ToList());
    }

    private static async Task<BookingView> View(IQuerySession db, OpdSession session, Booking booking, CancellationToken cancellationToken)
    {
        var doctors = await db.LoadManyAsync<StaffAccount>(cancellationToken, session.DoctorIds);
        var starts = BookingRules.SlotStartsAt(session, booking.Slot);
        return new BookingView(booking.Id, session.Id, session.FacilityId, Named(session.DoctorIds, doctors), session.Specialty, booking.Slot,
            starts, starts.AddMinutes(session.SlotMinutes), booking.State, booking.Token, booking.FollowUp?.PrescriptionId);
    }

    private static List<SessionDoctor> Named(IReadOnlyList<Guid> ids, IReadOnlyList<StaffAccount> doctors) =>
        ids.Select(id => doctors.FirstOrDefault(d => d.Id == id) is { } d ? new SessionDoctor(d.Id, d.Name, d.Doctor?.Specialty) : new SessionDoctor(id, "", null)).ToList();
}
