using System.Security.Claims;
using Marten;
using Telemed.Domain;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Queue;
using Telemed.Domain.Records;
using Telemed.Domain.Spokes;
using Telemed.Server.Bookings;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Queue;
using Telemed.Server.Records;

namespace Telemed.Server.Spokes;

/// <summary>A patient as the health worker sees them: who they are and, for a dependant, whose family they belong to.</summary>
public sealed record SpokePatientView(Guid Id, string Name, int Age, Sex Sex, Guid? GuardianId, Relation? GuardianRelation);

/// <summary>The signed-in health worker's spoke and the hubs it may ask.</summary>
public sealed record SpokeView(Guid FacilityId, string FacilityName, Cadre Cadre, IReadOnlyList<Facility> Hubs);

/// <summary>
/// A new patient: a new family's first member with <c>mobile</c> and the one-time <c>code</c> sent to it; or, with
/// <c>guardianId</c> (a patient this health worker brought in) and <c>relation</c>, a dependant on their family's number.
/// </summary>
public sealed record SpokeRegisterRequest(
    string? Name, DateOnly? DateOfBirth, int? YearOfBirth, string? Sex, string? Mobile, Guid? GuardianId, string? Relation, string? Code = null);

/// <summary>The family's mobile number and the one-time code sent to it.</summary>
public sealed record FindFamilyRequest(string? Mobile, string? Code);

public sealed record SpokeBookingRequest(Guid? PatientId, DateOnly? Date, int? Slot);

/// <summary>Where to move a booking: a slot of the same session, or with <c>rosterId</c> (and <c>date</c>) of another roster's day; and why.</summary>
public sealed record SpokeRescheduleRequest(Guid? RosterId, DateOnly? Date, int? Slot, string? Reason);

public sealed record SpokeCancelRequest(string? Reason);

/// <summary>A booking the health worker made for a patient they brought in; <c>rosterId</c>: the roster whose day its session is, to move it to another of its days.</summary>
public sealed record SpokeBookingView(
    Guid Id, Guid SessionId, Guid? RosterId, Guid PatientId, string PatientName, string? Specialty, int Slot, DateTimeOffset StartsAt, DateTimeOffset EndsAt,
    BookingState State);

public sealed record SpokeCompanion(string? Name, string? Relation);

public sealed record SpokeCheckInRequest(Guid? PatientId, string? Complaint, VitalsInput? Vitals, SpokeCompanion? AccompaniedBy);

/// <summary>One of the health worker's requests to a hub doctor, as the queue now holds it.</summary>
public sealed record SpokeRequestView(
    Guid SessionId, int Token, Guid PatientId, string PatientName, Guid HubId, string? Specialty, IReadOnlyList<SessionDoctor> Doctors, DateTimeOffset StartsAt,
    TokenState? State, int? Position, Guid? ConsultationId);

/// <summary>
/// The health worker's side of an assisted consultation at a spoke: find or register the patient (family members
/// included), ask a hub doctor by specialty, book the roster's slot, check the patient in with complaint and vitals,
/// and follow the request until its consultation starts. They act only for patients they brought in at their own spoke.
/// </summary>
public static class HealthWorkerEndpoints
{
    public static void MapHealthWorkers(this IEndpointRouteBuilder app)
    {
        var spoke = app.MapGroup("/api/spoke").WithTags("Hubs and spokes").RequireAuthorization(Roles.HealthWorker);
        spoke.MapGet("/", Mine).WithSummary("Health worker: my spoke and the hubs it may ask.");
        spoke.MapGet("/patients", Patients).WithSummary("Health worker: the patients I brought in at my spoke.");
        spoke.MapPost("/patients/find", Find)
            .WithSummary("Health worker: bring in the family registered with a mobile number, with the one-time code sent to it (POST /api/auth/otp) that the patient reads out.");
        spoke.MapPost("/patients", Register)
            .WithSummary("Health worker: register a new family's patient, with the one-time code sent to its mobile (POST /api/auth/otp) that the patient reads out, or, with guardianId and relation, a family member; and bring them in.");
        spoke.MapGet("/rosters", Rosters).WithSummary("Health worker: hub doctors' rosters open to my spoke, optionally of one specialty.");
        spoke.MapGet("/rosters/{rosterId:guid}/slots", Slots).WithSummary("Health worker: a roster's slots on a day (date=yyyy-MM-dd, India time).");
        spoke.MapPost("/rosters/{rosterId:guid}/bookings", Book).WithSummary("Health worker: book a roster's slot on a day for a patient I brought in.");
        spoke.MapGet("/bookings", Bookings).WithSummary("Health worker: the bookings I made for patients I brought in, upcoming and of the last day.");
        spoke.MapPost("/bookings/{bookingId:guid}/reschedule", Reschedule)
            .WithSummary("Health worker: move a booking I made to another free slot ({slot}), of another roster's day with {rosterId, date}, giving the reason; the patient is told by SMS.");
        spoke.MapPost("/bookings/{bookingId:guid}/cancel", CancelBooking)
            .WithSummary("Health worker: cancel a booking I made, giving the reason; the patient is told by SMS.");
        spoke.MapPost("/sessions/{sessionId:guid}/check-in", CheckIn)
            .WithSummary("Health worker: check a patient I brought in to a hub session, with complaint and vitals; the hub doctor's queue names my spoke.");
        spoke.MapGet("/requests", Requests).WithSummary("Health worker: my requests to hub doctors of the last day, with their place and consultation.");
    }

    private static async Task<(StaffAccount? Worker, HealthWorkerDetails? Details)> Caller(ClaimsPrincipal user, IQuerySession db, CancellationToken cancellationToken) =>
        await db.LoadAsync<StaffAccount>(user.AccountId(), cancellationToken) is { Active: true, HealthWorker: { } details } worker ? (worker, details) : (null, null);

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotAHealthWorker() => Problems.Forbidden("This account is not a health worker of a registered facility.");

    /// <summary>The patient, when this health worker brought them in at the spoke they work at now; otherwise the refusal is audited.</summary>
    private static async Task<PatientAccount?> Theirs(
        Guid healthWorkerId, HealthWorkerDetails details, Guid patientId, IQuerySession db, AuditTrail audit, string action, CancellationToken cancellationToken)
    {
        var brought = await db.LoadAsync<SpokePatient>(SpokePatient.Key(healthWorkerId, patientId), cancellationToken);
        if (HealthWorkerRules.MayActFor(details.FacilityId, brought?.SpokeId) && await db.LoadAsync<PatientAccount>(patientId, cancellationToken) is { } patient)
        {
            return patient;
        }
        await audit.Refused(healthWorkerId, $"patient/{patientId}", action, cancellationToken);
        return null;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NotTheirs(string field = "patientId") =>
        Problems.NotFound($"You have brought in no patient with this id at your spoke ({field}): find or register them first.");

    private static SpokePatientView View(PatientAccount patient, DateTimeOffset now) => new(
        patient.Id, patient.Name, Family.Age(patient.YearOfBirth, patient.DateOfBirth, IndianTime.Day(now)), patient.Sex, patient.GuardianId, patient.GuardianRelation);

    /// <summary>A read of these patients' details by the health worker: on their own stream and on each patient's access log.</summary>
    private static Task LogRead(IDocumentStore store, Guid healthWorkerId, IEnumerable<Guid> patientIds, string resource, string action, DateTimeOffset now, CancellationToken cancellationToken) =>
        Journal.Save(store, journal =>
        {
            journal.Events.Append(healthWorkerId, new AccessGranted(healthWorkerId, resource, action, now));
            foreach (var patientId in patientIds.Distinct())
            {
                journal.Events.Append(patientId, new RecordRead(patientId, healthWorkerId, nameof(RecordAccessBasis.HealthWorker), resource, now, null));
            }
        }, cancellationToken);

    private static async Task<IResult> Mine(ClaimsPrincipal user, IQuerySession db, HubSpokeLinks links, CancellationToken cancellationToken)
    {
        if (await Caller(user, db, cancellationToken) is not ({ } _, { } details))
        {
            return NotAHealthWorker();
        }
        var facility = await db.LoadAsync<Facility>(details.FacilityId, cancellationToken);
        var hubs = await db.LoadManyAsync<Facility>(cancellationToken, (await links.Load(cancellationToken)).HubsOf(details.FacilityId));
        return TypedResults.Ok(new SpokeView(details.FacilityId, facility?.Name ?? "", details.Cadre, [.. hubs.OrderBy(h => h.Name)]));
    }

    private static async Task<IResult> Patients(ClaimsPrincipal user, IQuerySession db, IDocumentStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await Caller(user, db, cancellationToken) is not ({ } worker, { } details))
        {
            return NotAHealthWorker();
        }
        var brought = await db.Query<SpokePatient>().Where(p => p.HealthWorkerId == worker.Id && p.SpokeId == details.FacilityId)
            .OrderByDescending(p => p.At).Take(200).ToListAsync(cancellationToken);
        var patients = await db.LoadManyAsync<PatientAccount>(cancellationToken, brought.Select(p => p.PatientId));
        var now = time.GetUtcNow();
        await LogRead(store, worker.Id, patients.Select(p => p.Id), "spoke/patients", "list brought-in patients", now, cancellationToken);
        return TypedResults.Ok(patients.Select(p => View(p, now)).OrderBy(p => p.Name).ToList());
    }

    private static async Task<IResult> Find(
        FindFamilyRequest request, ClaimsPrincipal user, IDocumentSession db, OneTimeCodeService codes, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await Caller(user, db, cancellationToken) is not ({ } worker, { } details))
        {
            return NotAHealthWorker();
        }
        var errors = new FieldErrors();
        var mobile = errors.Require("mobile", MobileNumber.Parse(request.Mobile));
        var code = errors.Require("code", OneTimeCodeService.ParseCode(request.Code));
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        // The code the patient reads out from their phone is their leave to be brought in: without it a number reveals nobody.
        var verification = await codes.Check(db, mobile!, code!, consume: true, cancellationToken);
        if (verification.Outcome != Domain.Identity.OtpOutcome.Verified)
        {
            await db.SaveChangesAsync(cancellationToken);
            return OneTimeCodeService.Refusal(verification);
        }
        var family = await db.Query<PatientAccount>().Where(p => p.Mobile == mobile!.Value).Take(PersonLimit).ToListAsync(cancellationToken);
        var now = time.GetUtcNow();
        foreach (var patient in family)
        {
            db.Store(new SpokePatient(SpokePatient.Key(worker.Id, patient.Id), worker.Id, patient.Id, details.FacilityId, now));
        }
        await db.SaveChangesAsync(cancellationToken);
        // Each patient's stream is their access log too, appended by every read of their record: journalled apart, with its retry.
        await Journal.Save(db.DocumentStore, journal =>
        {
            foreach (var patient in family)
            {
                journal.Events.Append(patient.Id, new PatientBroughtIn(patient.Id, worker.Id, details.FacilityId, now),
                    new RecordRead(patient.Id, worker.Id, nameof(RecordAccessBasis.HealthWorker), "spoke/patients/find", now, null));
            }
        }, cancellationToken);
        return family.Count == 0
            ? Problems.NotFound("No patient is registered with this mobile number: register them.")
            : TypedResults.Ok(family.Select(p => View(p, now)).OrderBy(p => p.GuardianId is not null).ThenBy(p => p.Name).ToList());
    }

    /// <summary>A family holds at most its guardian and their dependants.</summary>
    private const int PersonLimit = Family.MaxDependants + 1;

    private static async Task<IResult> Register(
        SpokeRegisterRequest request, ClaimsPrincipal user, IDocumentSession db, AuditTrail audit, OneTimeCodeService codes, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await Caller(user, db, cancellationToken) is not ({ } worker, { } details))
        {
            return NotAHealthWorker();
        }
        var now = time.GetUtcNow();
        var today = IndianTime.Day(now);
        var errors = new FieldErrors();
        var name = errors.Require("name", PersonRules.Name(request.Name));
        var yearOfBirth = PersonRules.YearOfBirth(request.DateOfBirth, request.YearOfBirth, today);
        if (!yearOfBirth.IsSuccess)
        {
            errors.Add(request.DateOfBirth is null ? "yearOfBirth" : "dateOfBirth", yearOfBirth.Error.Message);
        }
        var sex = errors.RequireValue("sex", PersonRules.ParseSex(request.Sex));
        PatientAccount? guardian = null;
        Relation? relation = null;
        MobileNumber? mobile = null;
        string? code = null;
        if (request.GuardianId is { } guardianId)
        {
            relation = errors.RequireValue("relation", Family.ParseRelation(request.Relation));
            guardian = await Theirs(worker.Id, details, guardianId, db, audit, "register family member", cancellationToken);
            if (guardian is null)
            {
                return NotTheirs("guardianId");
            }
            var dependants = await db.Query<PatientAccount>().CountAsync(p => p.GuardianId == guardian.Id, cancellationToken);
            if (Family.RefuseNewDependant(guardian.GuardianId, guardian.YearOfBirth, guardian.DateOfBirth, dependants, today) is { } refused)
            {
                errors.Add("guardianId", refused.Message);
            }
        }
        else
        {
            mobile = errors.Require("mobile", MobileNumber.Parse(request.Mobile));
            code = errors.Require("code", OneTimeCodeService.ParseCode(request.Code));
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        if (mobile is not null && await PatientAccounts.WithMobile(db, mobile, cancellationToken) is not null)
        {
            return Problems.Conflict("A patient is already registered with this mobile number: find them by it and bring them in, or register a family member on it.");
        }
        if (mobile is not null)
        {
            // A new family's number is checked as the patient's own, as when they register themselves: they read out the code sent to it.
            var verification = await codes.Check(db, mobile, code!, consume: true, cancellationToken);
            if (verification.Outcome != OtpOutcome.Verified)
            {
                await db.SaveChangesAsync(cancellationToken);
                return OneTimeCodeService.Refusal(verification);
            }
        }
        var patient = new PatientAccount(Ids.New(), name!, yearOfBirth.Value, request.DateOfBirth, sex!.Value, guardian?.Mobile ?? mobile!.Value, null, null, now,
            guardian?.Language ?? Domain.Messages.MessageCatalogue.English, GuardianId: guardian?.Id, GuardianRelation: relation);
        db.Insert(patient);
        db.Events.StartStream(patient.Id, guardian is null ? new PatientRegistered(patient.Id, now) : new DependantRegistered(patient.Id, guardian.Id, now),
            new PatientBroughtIn(patient.Id, worker.Id, details.FacilityId, now));
        db.Store(new SpokePatient(SpokePatient.Key(worker.Id, patient.Id), worker.Id, patient.Id, details.FacilityId, now));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/spoke/patients/{patient.Id}", View(patient, now));
    }

    private static async Task<IResult> Rosters(string? specialty, ClaimsPrincipal user, IQuerySession db, HubSpokeLinks links, CancellationToken cancellationToken)
    {
        if (await Caller(user, db, cancellationToken) is not ({ } _, { } details))
        {
            return NotAHealthWorker();
        }
        var hubs = (await links.Load(cancellationToken)).HubsOf(details.FacilityId).ToList();
        var rosters = await db.Query<Roster>().Where(r => hubs.Contains(r.HubId) && !r.Withdrawn).ToListAsync(cancellationToken);
        var wanted = specialty?.Trim();
        var matching = string.IsNullOrEmpty(wanted) ? rosters : [.. rosters.Where(r => r.Specialty.Contains(wanted, StringComparison.OrdinalIgnoreCase))];
        return TypedResults.Ok(await RosterEndpoints.Views(db, matching, cancellationToken));
    }

    /// <summary>The roster, when it is at a hub of the health worker's spoke; null otherwise.</summary>
    private static async Task<Roster?> OpenTo(Guid rosterId, HealthWorkerDetails details, IQuerySession db, HubSpokeLinks links, CancellationToken cancellationToken) =>
        await db.LoadAsync<Roster>(rosterId, cancellationToken) is { } roster && (await links.Load(cancellationToken)).IsSpokeOf(details.FacilityId, roster.HubId)
            ? roster
            : null;

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NoRoster() => Problems.NotFound("No roster with this id is open to your spoke: ask an admin to link your spoke to its hub.");

    private static async Task<IResult> Slots(
        Guid rosterId, DateOnly? date, ClaimsPrincipal user, IQuerySession db, HubSpokeLinks links, QueueService queue, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await Caller(user, db, cancellationToken) is not ({ } worker, { } details))
        {
            return NotAHealthWorker();
        }
        if (await OpenTo(rosterId, details, db, links, cancellationToken) is not { } roster)
        {
            return NoRoster();
        }
        var now = time.GetUtcNow();
        var day = date ?? IndianTime.Day(now);
        var opening = RosterEndpoints.Opening(roster, day, worker.Id, now);
        if (!opening.IsSuccess)
        {
            return Problems.Invalid("date", opening.Error.Message);
        }
        var session = await queue.Load(opening.Value.SessionId, cancellationToken) ?? OpdSession.From(opening.Value);
        return TypedResults.Ok(new RosterSlots(roster.Id, day, session.Id, session.SlotMinutes, BookingRules.Slots(session, now)));
    }

    private static async Task<IResult> Book(
        Guid rosterId, SpokeBookingRequest request, HttpContext http, IQuerySession db, HubSpokeLinks links, QueueService queue, AuditTrail audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await Caller(http.User, db, cancellationToken) is not ({ } worker, { } details))
        {
            return NotAHealthWorker();
        }
        var errors = new FieldErrors();
        if (request.PatientId is null)
        {
            errors.Add("patientId", "Name the patient you brought in.");
        }
        if (request.Slot is null)
        {
            errors.Add("slot", "Slot is required: the number of a free slot from GET /api/spoke/rosters/{rosterId}/slots.");
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        if (await OpenTo(rosterId, details, db, links, cancellationToken) is not { } roster)
        {
            return NoRoster();
        }
        if (await Theirs(worker.Id, details, request.PatientId!.Value, db, audit, "book for patient", cancellationToken) is not { } patient)
        {
            return NotTheirs();
        }
        var now = time.GetUtcNow();
        var day = request.Date ?? IndianTime.Day(now);
        var opening = RosterEndpoints.Opening(roster, day, worker.Id, now);
        if (!opening.IsSuccess)
        {
            return Problems.Invalid("date", opening.Error.Message);
        }
        var session = await RosterEndpoints.Open(opening.Value, queue, cancellationToken);
        var command = new BookForPatient(patient.Id, worker.Id, request.Slot!.Value);
        var outcome = await queue.Execute(http.User, session.Id, command, null, cancellationToken);
        if (!outcome.Succeeded)
        {
            return QueueEndpoints.Failure(outcome, http);
        }
        var booking = outcome.Session!.Booking(command.BookingId)!;
        var starts = BookingRules.SlotStartsAt(outcome.Session, booking.Slot);
        return TypedResults.Created($"/api/sessions/{session.Id}/bookings/{booking.Id}",
            new { id = booking.Id, sessionId = session.Id, rosterId, patientId = patient.Id, booking.Slot, startsAt = starts, endsAt = starts.AddMinutes(outcome.Session.SlotMinutes), booking.State });
    }

    private static async Task<IResult> Bookings(
        ClaimsPrincipal user, IQuerySession db, IDocumentStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await Caller(user, db, cancellationToken) is not ({ } worker, { } details))
        {
            return NotAHealthWorker();
        }
        var now = time.GetUtcNow();
        var since = now.AddDays(-1);
        var bookings = await db.Query<BookingRecord>().Where(b => b.BookedBy == worker.Id && b.StartsAt > since)
            .OrderBy(b => b.StartsAt).Take(200).ToListAsync(cancellationToken);
        // Only patients they may still act for: one brought in at another spoke they worked at before is no longer theirs.
        var theirs = (await db.LoadManyAsync<SpokePatient>(cancellationToken, bookings.Select(b => SpokePatient.Key(worker.Id, b.PatientId)).Distinct()))
            .Where(p => HealthWorkerRules.MayActFor(details.FacilityId, p.SpokeId)).Select(p => p.PatientId).ToHashSet();
        bookings = [.. bookings.Where(b => theirs.Contains(b.PatientId))];
        var patients = (await db.LoadManyAsync<PatientAccount>(cancellationToken, theirs)).ToDictionary(p => p.Id);
        var hubs = bookings.Select(b => b.FacilityId).Distinct().ToList();
        var rosters = await db.Query<Roster>().Where(r => hubs.Contains(r.HubId)).ToListAsync(cancellationToken);
        if (bookings.Count > 0)
        {
            await LogRead(store, worker.Id, bookings.Select(b => b.PatientId), "spoke/bookings", "list bookings", now, cancellationToken);
        }
        return TypedResults.Ok(bookings.Select(b => new SpokeBookingView(
            b.Id, b.SessionId, RosterEndpoints.RosterOf(rosters, b.SessionId, IndianTime.Day(b.StartsAt)), b.PatientId, patients.GetValueOrDefault(b.PatientId)?.Name ?? "",
            b.Specialty, b.Slot, b.StartsAt, b.EndsAt, b.State)).ToList());
    }

    /// <summary>
    /// The booking, when this health worker made it for a patient they brought in at the spoke they work at now; otherwise
    /// the attempt is audited on their stream (as a refused move of someone else's booking is) and null answered.
    /// </summary>
    private static async Task<BookingRecord?> TheirBooking(
        Guid healthWorkerId, HealthWorkerDetails details, Guid bookingId, IQuerySession db, AuditTrail audit, string action, CancellationToken cancellationToken)
    {
        var booking = await db.LoadAsync<BookingRecord>(bookingId, cancellationToken);
        if (booking is null)
        {
            return null;
        }
        var brought = await db.LoadAsync<SpokePatient>(SpokePatient.Key(healthWorkerId, booking.PatientId), cancellationToken);
        if (booking.BookedBy == healthWorkerId && HealthWorkerRules.MayActFor(details.FacilityId, brought?.SpokeId))
        {
            return booking;
        }
        await audit.Refused(healthWorkerId, $"opd-session/{booking.SessionId}/booking/{bookingId}", action, cancellationToken);
        return null;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NoBooking() =>
        Problems.NotFound("You made no booking with this id for a patient you brought in at your spoke.");

    /// <summary>A refused booking change; someone else's booking (already audited by the queue) answers as one that is not there.</summary>
    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult BookingRefusal(QueueOutcome outcome, HttpContext http) =>
        outcome.Failure == QueueFailure.Forbidden ? NoBooking() : QueueEndpoints.Failure(outcome, http);

    private static async Task<SpokeBookingView> BookingView(IQuerySession db, OpdSession session, Guid bookingId, CancellationToken cancellationToken)
    {
        var booking = session.Booking(bookingId)!;
        var patient = await db.LoadAsync<PatientAccount>(booking.PatientId, cancellationToken);
        var rosters = await db.Query<Roster>().Where(r => r.HubId == session.FacilityId).ToListAsync(cancellationToken);
        var starts = BookingRules.SlotStartsAt(session, booking.Slot);
        return new SpokeBookingView(booking.Id, session.Id, RosterEndpoints.RosterOf(rosters, session.Id, IndianTime.Day(session.StartsAt)), booking.PatientId,
            patient?.Name ?? "", session.Specialty, booking.Slot, starts, starts.AddMinutes(session.SlotMinutes), booking.State);
    }

    /// <summary>
    /// Within the booking's session, the ordinary reschedule on its stream. To another roster's day, the new slot is booked
    /// and the old booking given up in one transaction over both session streams: neither happens without the other.
    /// </summary>
    private static async Task<IResult> Reschedule(
        Guid bookingId, SpokeRescheduleRequest request, HttpContext http, IQuerySession db, HubSpokeLinks links, QueueService queue, AuditTrail audit,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (await Caller(http.User, db, cancellationToken) is not ({ } worker, { } details))
        {
            return NotAHealthWorker();
        }
        var errors = new FieldErrors();
        if (request.Slot is null)
        {
            errors.Add("slot", "Slot is required: the number of a free slot from GET /api/spoke/rosters/{rosterId}/slots.");
        }
        var reason = errors.Require("reason", BookingRules.ChangeReason(request.Reason));
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        const string action = "reschedule booking for patient";
        if (await TheirBooking(worker.Id, details, bookingId, db, audit, action, cancellationToken) is not { } booking)
        {
            return NoBooking();
        }
        var targetId = booking.SessionId;
        if (request.RosterId is { } rosterId)
        {
            if (await OpenTo(rosterId, details, db, links, cancellationToken) is not { } roster)
            {
                return NoRoster();
            }
            var opening = RosterEndpoints.Opening(roster, request.Date ?? IndianTime.Day(time.GetUtcNow()), worker.Id, time.GetUtcNow());
            if (!opening.IsSuccess)
            {
                return Problems.Invalid("date", opening.Error.Message);
            }
            targetId = (await RosterEndpoints.Open(opening.Value, queue, cancellationToken)).Id;
        }
        if (targetId == booking.SessionId)
        {
            var rescheduled = await queue.Execute(http.User, booking.SessionId, new RescheduleForPatient(bookingId, request.Slot!.Value, reason!), null, cancellationToken);
            return rescheduled.Succeeded
                ? TypedResults.Ok(await BookingView(db, rescheduled.Session!, bookingId, cancellationToken))
                : BookingRefusal(rescheduled, http);
        }
        var book = new BookForPatient(booking.PatientId, worker.Id, request.Slot!.Value, new BookingMove(bookingId, reason));
        var outcomes = await queue.ExecuteTogether(http.User,
            [(targetId, book), (booking.SessionId, new MoveOutForPatient(bookingId, book.BookingId, reason!))], cancellationToken);
        if (!outcomes[0].Succeeded)
        {
            return BookingRefusal(outcomes[0], http);
        }
        return TypedResults.Created($"/api/sessions/{targetId}/bookings/{book.BookingId}", await BookingView(db, outcomes[0].Session!, book.BookingId, cancellationToken));
    }

    private static async Task<IResult> CancelBooking(
        Guid bookingId, SpokeCancelRequest request, HttpContext http, IQuerySession db, QueueService queue, AuditTrail audit, CancellationToken cancellationToken)
    {
        if (await Caller(http.User, db, cancellationToken) is not ({ } worker, { } details))
        {
            return NotAHealthWorker();
        }
        var reason = BookingRules.ChangeReason(request.Reason);
        if (!reason.IsSuccess)
        {
            return Problems.Invalid("reason", reason.Error.Message);
        }
        if (await TheirBooking(worker.Id, details, bookingId, db, audit, "cancel booking for patient", cancellationToken) is not { } booking)
        {
            return NoBooking();
        }
        var cancelled = await queue.Execute(http.User, booking.SessionId, new CancelForPatient(bookingId, reason.Value), null, cancellationToken);
        return cancelled.Succeeded
            ? TypedResults.Ok(await BookingView(db, cancelled.Session!, bookingId, cancellationToken))
            : BookingRefusal(cancelled, http);
    }

    private static async Task<IResult> CheckIn(
        Guid sessionId, SpokeCheckInRequest request, HttpContext http, IQuerySession db, HubSpokeLinks links, QueueService queue, AuditTrail audit, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (await Caller(http.User, db, cancellationToken) is not ({ } worker, { } details))
        {
            return NotAHealthWorker();
        }
        var errors = new FieldErrors();
        if (request.PatientId is null)
        {
            errors.Add("patientId", "Name the patient you brought in.");
        }
        var complaint = SessionRules.Complaint(request.Complaint);
        if (!complaint.IsSuccess)
        {
            errors.Add("complaint", complaint.Error.Message);
        }
        var vitals = request.Vitals is { } input ? ClinicalRules.Vitals(input, errors) : null;
        AccompanyingAdult? companion = null;
        if (request.AccompaniedBy is { } adult)
        {
            var adultName = errors.Require("accompaniedBy.name", PersonRules.Name(adult.Name, "The accompanying adult's name"));
            var adultRelation = errors.RequireValue("accompaniedBy.relation", Family.ParseRelation(adult.Relation));
            companion = adultName is null || adultRelation is null ? null : new AccompanyingAdult(adultName, adultRelation.Value, null);
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        if (await queue.Load(sessionId, cancellationToken) is not { } session || !(await links.Load(cancellationToken)).IsSpokeOf(details.FacilityId, session.FacilityId))
        {
            return Problems.NotFound("No OPD session with this id is at a hub of your spoke.");
        }
        if (await Theirs(worker.Id, details, request.PatientId!.Value, db, audit, "check in patient", cancellationToken) is not { } patient)
        {
            return NotTheirs();
        }
        var now = time.GetUtcNow();
        var spoke = await db.LoadAsync<Facility>(details.FacilityId, cancellationToken);
        var summary = new PatientSummary(patient.Name, Family.Age(patient.YearOfBirth, patient.DateOfBirth, IndianTime.Day(now)), patient.Sex.ToString().ToLowerInvariant());
        var assisted = new AssistedBy(worker.Id, worker.Name, details.Cadre, details.FacilityId, spoke?.Name ?? "", vitals);
        var outcome = await queue.Execute(http.User, sessionId, new AssistedCheckIn(patient.Id, summary, complaint.Value, companion, assisted), null, cancellationToken);
        if (!outcome.Succeeded)
        {
            return QueueEndpoints.Failure(outcome, http);
        }
        var state = outcome.Session!;
        var entry = state.Entries.Last(e => e.PatientId == patient.Id && e.IsActive);
        var position = QueueViews.Position(state, entry, QueueViews.Positions(state));
        return outcome.Events.Count > 0 ? TypedResults.Created($"/api/spoke/requests", position) : TypedResults.Ok(position);
    }

    private static async Task<IResult> Requests(
        ClaimsPrincipal user, IQuerySession db, IDocumentStore store, QueueService queue, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await Caller(user, db, cancellationToken) is not ({ } worker, { } _))
        {
            return NotAHealthWorker();
        }
        var now = time.GetUtcNow();
        var since = now.AddDays(-1);
        var requests = await db.Query<SpokeRequest>().Where(r => r.HealthWorkerId == worker.Id && r.At > since)
            .OrderByDescending(r => r.At).Take(100).ToListAsync(cancellationToken);
        var patients = (await db.LoadManyAsync<PatientAccount>(cancellationToken, requests.Select(r => r.PatientId).Distinct())).ToDictionary(p => p.Id);
        var views = new List<SpokeRequestView>();
        foreach (var request in requests)
        {
            if (await queue.Load(request.SessionId, cancellationToken) is not { } session)
            {
                continue;
            }
            var entry = session.Entry(request.Token);
            var doctors = QueueEndpoints.DoctorsOf(session, await db.LoadManyAsync<StaffAccount>(cancellationToken, session.DoctorIds));
            var position = entry is null ? null : QueueViews.Position(session, entry, QueueViews.Positions(session));
            views.Add(new SpokeRequestView(session.Id, request.Token, request.PatientId, patients.GetValueOrDefault(request.PatientId)?.Name ?? "", session.FacilityId,
                session.Specialty, doctors, session.StartsAt, entry?.State, position?.Position, entry?.ConsultationId));
        }
        if (views.Count > 0)
        {
            await LogRead(store, worker.Id, views.Select(v => v.PatientId), "spoke/requests", "list requests", now, cancellationToken);
        }
        return TypedResults.Ok(views);
    }
}
