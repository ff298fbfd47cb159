using System.Globalization;
using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Net.Http.Headers;
using Telemed.Domain;
using Telemed.Domain.Identity;
using Telemed.Domain.Queue;
using Telemed.Domain.Records;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Prescriptions;
using Telemed.Server.Realtime;
using Telemed.Server.Records;

namespace Telemed.Server.Queue;

public sealed record OpenSessionRequest(
    Guid? FacilityId,
    IReadOnlyList<Guid>? DoctorIds,
    DateTimeOffset? StartsAt,
    DateTimeOffset? EndsAt,
    long? FeePaise,
    int? Capacity,
    string? Specialty,
    int? SlotMinutes,
    int? NoShowAfterMissedCalls);

public sealed record SessionDoctor(Guid Id, string Name, string? Specialty);

public sealed record SessionSummary(
    Guid Id,
    Guid FacilityId,
    IReadOnlyList<SessionDoctor> Doctors,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    long FeePaise,
    int Capacity,
    int PlacesTaken,
    int Waiting,
    string? Specialty,
    SessionStatus Status,
    int AverageConsultationMinutes,
    long Version);

public sealed record PriorityRequest(Priority? Priority);

public sealed record EmergencyAccessRequest(string? Reason);

/// <summary>OPD sessions over REST. The hub offers the same commands live; both run through <see cref="QueueService"/>.</summary>
public static class QueueEndpoints
{
    public static void MapQueue(this IEndpointRouteBuilder app)
    {
        var sessions = app.MapGroup("/api/sessions").WithTags("OPD sessions");
        sessions.MapPost("/", Open).WithSummary("Open an OPD session (doctor for themselves, admin for a group of doctors).");
        sessions.MapGet("/", List).WithSummary("Sessions that have not ended, optionally of one facility or doctor.");
        sessions.MapGet("/{sessionId:guid}", Get).WithSummary("One session: doctors, window, fee, places taken.");
        sessions.MapGet("/{sessionId:guid}/queue", GetQueue).WithSummary("Staff: the full live queue (ETag = stream version).");
        sessions.MapPost("/{sessionId:guid}/check-in", CheckInPatient).RequireRateLimiting(Security.CheckInLimit)
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(AttachmentUpload.MaxRequestBytes))
            .WithSummary("Patient: check in (JSON {complaint}, or multipart with 'complaint' and up to 3 'attachments').");
        sessions.MapGet("/{sessionId:guid}/my-token", MyToken).WithSummary("Patient: my token, position and estimated wait.");
        sessions.MapGet("/{sessionId:guid}/attachments/{attachmentId:guid}", Attachment).WithSummary("A check-in attachment (its patient or the session's staff).");

        foreach (var (path, command) in SessionCommands)
        {
            sessions.MapPost($"/{{sessionId:guid}}/{path}", (Guid sessionId, HttpContext http, QueueService queue, CancellationToken ct) =>
                Run(sessionId, command(), http, queue, ct));
        }
        var tokens = sessions.MapGroup("/{sessionId:guid}/tokens/{token:int}");
        foreach (var (path, command) in TokenCommands)
        {
            tokens.MapPost($"/{path}", (Guid sessionId, int token, HttpContext http, QueueService queue, CancellationToken ct) =>
                Run(sessionId, command(token), http, queue, ct));
        }
        tokens.MapPut("/priority", (Guid sessionId, int token, PriorityRequest request, HttpContext http, QueueService queue, CancellationToken ct) =>
            request.Priority is { } priority
                ? Run(sessionId, new PrioritiseToken(token, priority), http, queue, ct)
                : Task.FromResult<IResult>(Problems.Invalid("priority", "Priority is required: normal, elderly or emergency.")));
        tokens.MapPost("/not-held", (Guid sessionId, int token, NotHeldRequest request, HttpContext http, QueueService queue, CancellationToken ct) =>
            Run(sessionId, new MarkNotHeld(token, request.Reason), http, queue, ct))
            .WithSummary("Doctor: the consultation could not take place (reason required); a paid fee is refunded.");

        app.MapPost("/api/admin/sessions/{sessionId:guid}/emergency-access", OpenEmergencyAccess).RequireAuthorization(Roles.Admin).WithTags("Admin")
            .WithSummary("Admin: open emergency access to the session's queue and check-in files for 30 minutes, with a reason each patient sees.");

        app.MapGet("/api/boards/{facilityId:guid}", Board).AllowAnonymous().WithTags("OPD sessions")
            .WithSummary("Public waiting-room board of a facility: token numbers only.");
    }

    private static readonly (string Path, Func<QueueCommand> Command)[] SessionCommands =
    [
        ("pause", () => new PauseSession()),
        ("resume", () => new ResumeSession()),
        ("close", () => new CloseSession()),
        ("call-next", () => new CallNext()),
    ];

    private static readonly (string Path, Func<int, QueueCommand> Command)[] TokenCommands =
    [
        ("call", token => new CallToken(token)),
        ("skip", token => new SkipToken(token)),
        ("no-show", token => new MarkNoShow(token)),
        ("recall", token => new RecallToken(token)),
        ("start", token => new StartConsultation(token)),
        ("complete", token => new CompleteConsultation(token)),
        ("left", token => new MarkLeft(token)),
        ("cancel", token => new CancelToken(token)),
    ];

    private static async Task<Results<Created<SessionSummary>, ProblemHttpResult>> Open(
        OpenSessionRequest request, ClaimsPrincipal user, IQuerySession db, QueueService queue, ICheckInFees fees, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var isAdmin = user.IsInRole(Roles.Admin);
        if (!isAdmin && !user.IsInRole(Roles.Doctor))
        {
            return TypedResults.Problem("Only doctors and admins open OPD sessions.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");
        }
        var callerId = user.AccountId();
        var now = time.GetUtcNow();
        var errors = new FieldErrors();
        if (request.FacilityId is null)
        {
            errors.Add("facilityId", "Facility is required.");
        }
        var doctorIds = (request.DoctorIds ?? (isAdmin ? [] : [callerId])).Distinct().ToList();
        if (doctorIds.Count == 0)
        {
            errors.Add("doctorIds", "At least one doctor is required.");
        }
        else if (doctorIds.Count > SessionRules.MaxDoctors)
        {
            errors.Add("doctorIds", $"At most {SessionRules.MaxDoctors} doctors share a session.");
        }
        else if (!isAdmin && !doctorIds.Contains(callerId))
        {
            errors.Add("doctorIds", "A doctor opens sessions they take part in.");
        }
        var window = SessionRules.Window(request.StartsAt, request.EndsAt, now);
        if (!window.IsSuccess)
        {
            errors.Add("endsAt", window.Error.Message);
        }
        var capacity = errors.RequireValue("capacity", SessionRules.Capacity(request.Capacity));
        var fee = errors.RequireValue("feePaise", SessionRules.FeePaise(request.FeePaise));
        var slot = errors.RequireValue("slotMinutes", SessionRules.SlotMinutes(request.SlotMinutes));
        var noShow = errors.RequireValue("noShowAfterMissedCalls", SessionRules.NoShowAfterMissedCalls(request.NoShowAfterMissedCalls));
        var specialty = errors.Optional("specialty", request.Specialty, raw => PersonRules.Text(raw, "Specialty", 80));
        if (fee > 0 && !fees.Enabled)
        {
            errors.Add("feePaise", "Paid sessions need online payments, which are not configured on this server (Payments:StripeSecretKey). Open a free session (fee 0).");
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        if (await db.LoadAsync<Facility>(request.FacilityId!.Value, cancellationToken) is null)
        {
            return Problems.Invalid("facilityId", "No facility is registered with this id.");
        }
        var doctors = await db.LoadManyAsync<StaffAccount>(cancellationToken, doctorIds);
        if (doctors.Count != doctorIds.Count || doctors.Any(d => d.Role != Role.Doctor || !d.Active))
        {
            return Problems.Invalid("doctorIds", "Every id must be an active doctor's.");
        }
        var opened = new SessionOpened(Ids.New(), request.FacilityId.Value, doctorIds, window.Value.Starts, window.Value.Ends,
            fee!.Value, capacity!.Value, specialty, slot!.Value, noShow!.Value, callerId, now);
        var session = await queue.Open(opened, cancellationToken);
        return TypedResults.Created($"/api/sessions/{session.Id}", Summary(session, doctors));
    }

    private static async Task<Ok<IReadOnlyList<SessionSummary>>> List(
        Guid? facilityId, Guid? doctorId, IQuerySession db, QueueService queue, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var query = db.Query<SessionListing>().Where(s => s.EndsAt > now && s.Status != SessionStatus.Closed);
        if (facilityId is { } facility)
        {
            query = query.Where(s => s.FacilityId == facility);
        }
        var listings = await query.OrderBy(s => s.StartsAt).Take(200).ToListAsync(cancellationToken);
        var sessions = await queue.Latest(listings.Where(s => doctorId is not { } doctor || s.HasDoctor(doctor)), cancellationToken);
        var doctors = await db.LoadManyAsync<StaffAccount>(cancellationToken, sessions.SelectMany(s => s.DoctorIds).Distinct());
        return TypedResults.Ok<IReadOnlyList<SessionSummary>>(sessions.Select(s => Summary(s, doctors)).ToList());
    }

    private static async Task<Results<Ok<SessionSummary>, ProblemHttpResult>> Get(
        Guid sessionId, IQuerySession db, QueueService queue, CancellationToken cancellationToken)
    {
        var session = await queue.Load(sessionId, cancellationToken);
        if (session is null)
        {
            return Problems.NotFound("There is no such OPD session.");
        }
        var doctors = await db.LoadManyAsync<StaffAccount>(cancellationToken, session.DoctorIds);
        return TypedResults.Ok(Summary(session, doctors));
    }

    private static async Task<IResult> GetQueue(
        Guid sessionId, ClaimsPrincipal user, HttpContext http, QueueService queue, Presence presence, CancellationToken cancellationToken)
    {
        var session = await queue.Load(sessionId, cancellationToken);
        if (session is null)
        {
            return Problems.NotFound("There is no such OPD session.");
        }
        if (await queue.Reader(user, user.AccountId(), session, cancellationToken) is not { } reader)
        {
            await queue.Audit(user.AccountId(), $"opd-session/{sessionId}", "read queue", cancellationToken);
            return Problems.Forbidden(user.IsInRole(Roles.Admin) ? EmergencyAccessNeeded(sessionId) : QueueError.NotSessionDoctor.Message);
        }
        await queue.AuditRead(reader, session, "read queue", cancellationToken);
        StreamVersions.SetETag(http, session.Version);
        return TypedResults.Ok(QueueViews.Queue(session, presence.IsOnline));
    }

    private static string EmergencyAccessNeeded(Guid sessionId) =>
        $"Patients' complaints and files are open to admins only under emergency access: POST /api/admin/sessions/{sessionId}/emergency-access with the reason.";

    private static async Task<IResult> OpenEmergencyAccess(
        Guid sessionId, EmergencyAccessRequest request, ClaimsPrincipal user, QueueService queue, IDocumentStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        if (await queue.Load(sessionId, cancellationToken) is null)
        {
            return Problems.NotFound("There is no such OPD session.");
        }
        var adminId = user.AccountId();
        var opened = EmergencyAccess.Open(adminId, sessionId, request.Reason, time.GetUtcNow());
        if (!opened.IsSuccess)
        {
            return Problems.Invalid("reason", opened.Error);
        }
        await Journal.Save(store, session =>
        {
            session.Events.Append(adminId, opened.Value);
            session.Store(new EmergencyAccessGrant(EmergencyAccessGrant.Key(adminId, sessionId), opened.Value));
        }, cancellationToken);
        return TypedResults.Created($"/api/sessions/{sessionId}/queue", new { sessionId, opened.Value.Until });
    }

    private static async Task<IResult> CheckInPatient(
        Guid sessionId, HttpContext http, ClaimsPrincipal user, IQuerySession db, QueueService queue, ICheckInFees fees, TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!user.IsInRole(Roles.Patient))
        {
            return Problems.Forbidden("Only patients check in.");
        }
        var patientId = user.AccountId();
        var now = time.GetUtcNow();
        var errors = new FieldErrors();
        string? rawComplaint;
        AccompanyingAdultRequest? rawCompanion;
        var attachments = new List<CheckInAttachment>();
        if (http.Request.HasFormContentType)
        {
            var form = await http.Request.ReadFormAsync(cancellationToken);
            rawComplaint = form["complaint"].FirstOrDefault();
            rawCompanion = form["accompaniedBy.name"].Count + form["accompaniedBy.relation"].Count > 0
                ? new AccompanyingAdultRequest(form["accompaniedBy.name"].FirstOrDefault(), form["accompaniedBy.relation"].FirstOrDefault())
                : null;
            attachments = await AttachmentUpload.Read(form.Files, sessionId, patientId, now, errors, cancellationToken);
        }
        else if (http.Request.HasJsonContentType())
        {
            var body = await http.Request.ReadFromJsonAsync<CheckInRequest>(cancellationToken);
            rawComplaint = body?.Complaint;
            rawCompanion = body?.AccompaniedBy;
        }
        else
        {
            return TypedResults.Problem("Send JSON or multipart/form-data.", statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        }
        var complaint = SessionRules.Complaint(rawComplaint);
        if (!complaint.IsSuccess)
        {
            errors.Add("complaint", complaint.Error.Message);
        }
        var companion = rawCompanion is null ? null : AccompanyingAdult.Parse(rawCompanion.Name, rawCompanion.Relation, errors);
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        var patient = await db.LoadAsync<PatientAccount>(patientId, cancellationToken);
        if (patient is null)
        {
            return Problems.NotFound("Your patient record no longer exists.");
        }
        // A guardian checking a family member in comes with them, unless they name another adult.
        if (companion is null && user.ActingGuardianId() is { } guardianId && patient.GuardianRelation is { } relation
            && await db.LoadAsync<PatientAccount>(guardianId, cancellationToken) is { } guardian)
        {
            companion = new AccompanyingAdult(guardian.Name, relation, guardian.Id);
        }
        var age = Family.Age(patient.YearOfBirth, patient.DateOfBirth, IndianTime.Day(now));
        var summary = new PatientSummary(patient.Name, age, patient.Sex.ToString().ToLowerInvariant());
        var command = new CheckIn(patientId, summary, complaint.Value, attachments.Select(a => a.Ref()).ToList(), AccompaniedBy: companion);
        void StoreAttachments(IDocumentSession session, OpdSession _)
        {
            foreach (var attachment in attachments)
            {
                session.Insert(attachment);
            }
        }
        var expectedVersion = StreamVersions.IfMatch(http);
        var (outcome, payment) = await queue.Fee(sessionId, db, cancellationToken) > 0 && await queue.Load(sessionId, cancellationToken) is { } paid
            ? await fees.CheckIn(user, paid, command, expectedVersion, StoreAttachments, cancellationToken)
            : new CheckInOutcome(await queue.Execute(user, sessionId, command, expectedVersion, cancellationToken, StoreAttachments), null);
        if (!outcome.Succeeded)
        {
            return Failure(outcome, http);
        }
        var state = outcome.Session!;
        var entry = state.Entries.Last(e => e.PatientId == patientId && e.IsActive);
        var position = QueueViews.Position(state, entry, QueueViews.Positions(state));
        StreamVersions.SetETag(http, state.Version);
        object reply = payment is null ? position : new PaidCheckIn(position, payment);
        return outcome.Events.Count > 0
            ? TypedResults.Created($"/api/sessions/{sessionId}/my-token", reply)
            : TypedResults.Ok(reply);
    }

    private sealed record CheckInRequest(string? Complaint, AccompanyingAdultRequest? AccompaniedBy);

    /// <summary>The adult who comes with the patient, as the check-in names them; <c>relation</c> is theirs to the patient ("parent").</summary>
    private sealed record AccompanyingAdultRequest(string? Name, string? Relation);

    /// <summary>A paid check-in: the held token, and the payment that puts it in line.</summary>
    public sealed record PaidCheckIn(PatientPosition Position, object Payment);

    private sealed record NotHeldRequest(string? Reason);

    private static async Task<IResult> MyToken(Guid sessionId, ClaimsPrincipal user, QueueService queue, CancellationToken cancellationToken)
    {
        var session = await queue.Load(sessionId, cancellationToken);
        if (session is null)
        {
            return Problems.NotFound("There is no such OPD session.");
        }
        var entry = session.Entries.LastOrDefault(e => e.PatientId == user.AccountId());
        return entry is null
            ? Problems.NotFound("You have not checked in to this session.")
            : TypedResults.Ok(QueueViews.Position(session, entry, QueueViews.Positions(session)));
    }

    private static async Task<IResult> Attachment(
        Guid sessionId, Guid attachmentId, ClaimsPrincipal user, IQuerySession db, QueueService queue, HealthRecords records, CancellationToken cancellationToken)
    {
        var attachment = await db.LoadAsync<CheckInAttachment>(attachmentId, cancellationToken);
        var session = await queue.Load(sessionId, cancellationToken);
        if (attachment is null || session is null || attachment.SessionId != sessionId)
        {
            return Problems.NotFound("There is no such attachment.");
        }
        var callerId = user.AccountId();
        var resource = $"opd-session/{sessionId}/attachment/{attachmentId}";
        if (attachment.PatientId == callerId)
        {
            await records.LoggedOwn(user, attachment.PatientId, resource, cancellationToken);
        }
        else if (await queue.Reader(user, callerId, session, cancellationToken) is { } reader)
        {
            await records.Logged(callerId, attachment.PatientId, reader.Basis, resource, cancellationToken, reader.Reason);
        }
        else
        {
            await queue.Audit(callerId, resource, "read attachment", cancellationToken);
            return Problems.Forbidden(user.IsInRole(Roles.Admin) ? EmergencyAccessNeeded(sessionId) : "This attachment belongs to another patient.");
        }
        return TypedResults.File(attachment.Data, attachment.ContentType, attachment.FileName);
    }

    private static async Task<IResult> Board(Guid facilityId, IQuerySession db, QueueService queue, TimeProvider time, CancellationToken cancellationToken) =>
        TypedResults.Ok(await BoardHub.Lines(db, queue, facilityId, time.GetUtcNow(), cancellationToken));

    private static async Task<IResult> Run(Guid sessionId, QueueCommand command, HttpContext http, QueueService queue, CancellationToken cancellationToken)
    {
        var version = StreamVersions.IfMatch(http);
        if (version == StreamVersions.Invalid)
        {
            return Problems.Invalid("If-Match", "If-Match must be the ETag of the queue, e.g. \"12\".");
        }
        QueueOutcome outcome;
        // A completion signs its prescription with the doctor's key the unlock token opens.
        using (PresentedUnlock.Present(http.Request.Headers[PresentedUnlock.Header].FirstOrDefault()))
        {
            outcome = await queue.Execute(http.User, sessionId, command, version, cancellationToken);
        }
        if (!outcome.Succeeded)
        {
            return Failure(outcome, http);
        }
        StreamVersions.SetETag(http, outcome.Session!.Version);
        return command.PatientOnly
            ? TypedResults.Ok(QueueViews.Position(outcome.Session, outcome.Session.Entries[command.Token!.Value - 1], QueueViews.Positions(outcome.Session)))
            : QueueReplies.TouchedRow(outcome, command, http.RequestServices.GetRequiredService<Presence>().IsOnline) is { } row
                ? TypedResults.Ok(row)
                : TypedResults.Ok(new { outcome.Session.Id, outcome.Session.Status, outcome.Session.Version });
    }

    /// <summary>A failed queue command as problem details: 404, 403, 412 or 409, with the refusal's code.</summary>
    public static ProblemHttpResult Failure(QueueOutcome outcome, HttpContext http)
    {
        var (code, message) = QueueReplies.Describe(outcome);
        var status = outcome.Failure switch
        {
            QueueFailure.NotFound => StatusCodes.Status404NotFound,
            QueueFailure.Forbidden => StatusCodes.Status403Forbidden,
            QueueFailure.StaleVersion => StatusCodes.Status412PreconditionFailed,
            _ when outcome.Error?.Code is QueueErrorCode.TokenNotFound or QueueErrorCode.BookingNotFound => StatusCodes.Status404NotFound,
            _ => StatusCodes.Status409Conflict,
        };
        if (outcome.Session is { } session)
        {
            StreamVersions.SetETag(http, session.Version);
        }
        return TypedResults.Problem(message, statusCode: status, title: code, extensions: new Dictionary<string, object?> { ["code"] = code });
    }

    private static SessionSummary Summary(OpdSession session, IReadOnlyList<StaffAccount> doctors) => new(
        session.Id,
        session.FacilityId,
        DoctorsOf(session, doctors),
        session.StartsAt,
        session.EndsAt,
        session.FeePaise,
        session.Capacity,
        session.PlacesTaken,
        session.Entries.Count(e => e.IsInLine),
        session.Specialty,
        session.Status,
        (int)Math.Round(session.AverageConsultation.TotalMinutes),
        session.Version);

    /// <summary>The session's doctors by name, in the session's order; an id whose account is gone keeps its place, unnamed.</summary>
    internal static IReadOnlyList<SessionDoctor> DoctorsOf(OpdSession session, IReadOnlyList<StaffAccount> doctors) =>
        session.DoctorIds
            .Select(id => doctors.FirstOrDefault(d => d.Id == id) is { } d ? new SessionDoctor(d.Id, d.Name, d.Doctor?.Specialty) : new SessionDoctor(id, "", null))
            .ToList();
}
