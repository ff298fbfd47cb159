using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.SignalR;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;
using Telemed.Domain.Records;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Realtime;
using Telemed.Server.Records;

namespace Telemed.Server.Consultations;

public sealed record ConsultationView(
    Guid Id, Guid SessionId, int Token, Guid DoctorId, Guid PatientId, IReadOnlyList<Guid> Staff, ConsultationStatus Status, CallMode Mode,
    IReadOnlyList<ConsultationHistoryItem> History, PatientDetails? Patient);

/// <summary>Who was there when: one line per event, without chat text (which stays in the record, not in this summary).</summary>
public sealed record ConsultationHistoryItem(long Version, string Event, Guid? AccountId, DateTimeOffset At);

public sealed record InviteRequest(Guid? StaffId);

/// <summary>A colleague the consulting doctor may add to the room: professional identity only, no contact details.</summary>
public sealed record StaffCandidate(Guid Id, string Name, string Role, string? Specialty, string? Qualification);

/// <summary>An open consultation the caller was added to, for their app to offer joining its room.</summary>
public sealed record ConsultationInvitation(Guid ConsultationId, int Token, Guid DoctorId, string DoctorName, DateTimeOffset InvitedAt);

public static class ConsultationEndpoints
{
    public static void MapConsultations(this IEndpointRouteBuilder app)
    {
        var consultations = app.MapGroup("/api/consultations/{consultationId:guid}").WithTags("Consultations");
        consultations.MapGet("/", Get).WithSummary("A consultation and its history (participants only).");
        consultations.MapGet("/ice-servers", Servers).RequireAuthorization(IdentitySetup.CallParticipant).WithSummary("STUN/TURN servers with time-limited TURN credentials (participants of an open consultation only).");
        consultations.MapPost("/staff", Invite).WithSummary("The consulting doctor adds a staff member (interpreter, specialist) to the room.");
        consultations.MapGet("/staff-candidates", Candidates)
            .WithSummary("The consulting doctor: active doctors who may be added to the room (not yet in it).");
        app.MapGet("/api/consultations/invited", Invitations).RequireAuthorization(Roles.Doctor).WithTags("Consultations")
            .WithSummary("Doctor: open consultations I was added to as staff, newest first.");
        consultations.MapSharedFiles();
        app.MapPreCall();
        app.MapClinicalRecord();
        app.MapFeedback();
        app.MapGuests();
        // Stateful reconnect: a brief drop during a call loses no signalling. An expired access token closes the
        // connection (the client reconnects with a fresh one and rejoins its room). A client that does not take what is
        // sent to it within Hubs:SendTimeoutSeconds is cut (Pushes).
        app.MapHub<ConsultationHub>("/hubs/consultation", options =>
        {
            options.AllowStatefulReconnects = true;
            options.CloseOnAuthenticationExpiration = true;
            Pushes.Bound(options, app.ServiceProvider);
        });
    }

    private static async Task<Results<Ok<ConsultationView>, ProblemHttpResult>> Get(
        Guid consultationId, ClaimsPrincipal user, ConsultationService consultations, AuditTrail audit, HealthRecords records, IQuerySession db, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var consultation = await consultations.Load(consultationId, cancellationToken);
        if (await Refusal(consultation, user, audit, consultationId, "read consultation", cancellationToken) is { } refused)
        {
            return refused;
        }
        var resource = $"consultation/{consultationId}";
        await (user.AccountId() == consultation!.PatientId
            ? records.LoggedOwn(user, consultation.PatientId, resource, cancellationToken)
            : records.Logged(user.AccountId(), consultation.PatientId, RecordAccessBasis.Participant, resource, cancellationToken));
        // Feedback is the patient's to give without its doctor learning whose it is: it stays out of the history.
        var history = (await consultations.History(consultationId, cancellationToken))
            .Where(e => e.Data is not FeedbackGiven)
            .Select(e => new ConsultationHistoryItem(e.Version, e.Data.GetType().Name, AccountOf(e.Data), e.Timestamp))
            .ToList();
        return TypedResults.Ok(new ConsultationView(consultation!.Id, consultation.SessionId, consultation.Token, consultation.DoctorId, consultation.PatientId,
            consultation.Staff.ToList(), consultation.Status, consultation.Mode, history, await PatientOf(db, consultation, time, cancellationToken)));
    }

    /// <summary>Who the participants are seeing (a verified ABHA included, so the doctor can match records), as registered now.</summary>
    private static async Task<PatientDetails?> PatientOf(IQuerySession db, Consultation consultation, TimeProvider time, CancellationToken cancellationToken) =>
        await db.LoadAsync<PatientAccount>(consultation.PatientId, cancellationToken) is { } patient
            ? await ClinicalParties.PatientAsOf(db, patient, time.GetUtcNow(), cancellationToken)
            : null;

    private static async Task<Results<Ok<IceServers>, ProblemHttpResult>> Servers(
        Guid consultationId, ClaimsPrincipal user, ConsultationService consultations, ConsultationRooms rooms, AuditTrail audit, CancellationToken cancellationToken)
    {
        var consultation = await consultations.Load(consultationId, cancellationToken);
        if (await Refusal(consultation, user, audit, consultationId, "get ICE servers", cancellationToken) is { } refused)
        {
            return refused;
        }
        // A relay is for the call: once the consultation is over, its participants have no call left to relay.
        return consultation!.Status == ConsultationStatus.Open
            ? TypedResults.Ok(rooms.ServersFor(user.AccountId(), relay: true))
            : TypedResults.Problem(ConsultationError.Ended.Message, statusCode: StatusCodes.Status409Conflict, title: ConsultationError.Ended.Code);
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Invite(
        Guid consultationId, InviteRequest request, ClaimsPrincipal user, ConsultationService consultations, IQuerySession db, AuditTrail audit,
        IHubContext<ConsultationHub, IConsultationClient> hub, Pushes pushes, CancellationToken cancellationToken)
    {
        var consultation = await consultations.Load(consultationId, cancellationToken);
        if (await NotTheDoctor(consultation, user, audit, consultationId, "invite staff", cancellationToken) is { } refused)
        {
            return refused;
        }
        // Doctors are the only clinical staff accounts: a pharmacist, an admin or a health officer has no place in a patient's room.
        if (request.StaffId is not { } staffId || await db.LoadAsync<StaffAccount>(staffId, cancellationToken) is not { Active: true, Role: Role.Doctor } staff)
        {
            return Problems.Invalid("staffId", "An active doctor's account is required.");
        }
        var recorded = await consultations.Execute(consultationId, (state, now) => ConsultationDecisions.Invite(state, user.AccountId(), staffId, now), cancellationToken);
        if (!recorded.IsSuccess)
        {
            // Who may invite was checked above: what is left is the consultation's state (ended, already in the room).
            return TypedResults.Problem(recorded.Error.Message, statusCode: StatusCodes.Status409Conflict, title: recorded.Error.Code);
        }
        if (recorded.Value.Events.OfType<StaffInvited>().FirstOrDefault() is { } invited)
        {
            var doctor = await db.LoadAsync<StaffAccount>(consultation!.DoctorId, cancellationToken);
            var invitation = new ConsultationInvitation(consultationId, consultation.Token, consultation.DoctorId, doctor?.Name ?? "", invited.At);
            pushes.Send(deadline => hub.Clients.Group(ConsultationHub.InvitationsGroup(staff.Id)).InvitedToConsultation(invitation, deadline));
        }
        return TypedResults.NoContent();
    }

    private static async Task<Results<Ok<IReadOnlyList<StaffCandidate>>, ProblemHttpResult>> Candidates(
        Guid consultationId, ClaimsPrincipal user, ConsultationService consultations, IQuerySession db, AuditTrail audit, CancellationToken cancellationToken)
    {
        var consultation = await consultations.Load(consultationId, cancellationToken);
        if (await NotTheDoctor(consultation, user, audit, consultationId, "list staff to invite", cancellationToken) is { } refused)
        {
            return refused;
        }
        var doctors = await db.Query<StaffAccount>().Where(s => s.Role == Role.Doctor && s.Active).OrderBy(s => s.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok<IReadOnlyList<StaffCandidate>>(doctors
            .Where(d => consultation!.RoleOf(d.Id) is null)
            .Select(d => new StaffCandidate(d.Id, d.Name, Roles.Name(d.Role), d.Doctor?.Specialty, d.Doctor?.Qualification))
            .ToList());
    }

    private static async Task<Ok<IReadOnlyList<ConsultationInvitation>>> Invitations(
        ClaimsPrincipal user, IQuerySession db, ConsultationService consultations, TimeProvider time, CancellationToken cancellationToken)
    {
        var me = user.AccountId();
        // A consultation lasts minutes, not days: older invitations cannot still be open, and the query stays small.
        var since = time.GetUtcNow().AddDays(-1);
        var invitations = await db.Events.QueryRawEventDataOnly<StaffInvited>()
            .Where(e => e.StaffId == me && e.At > since)
            .OrderByDescending(e => e.At)
            .Take(50)
            .ToListAsync(cancellationToken);
        var open = new List<(StaffInvited Invited, Consultation Consultation)>();
        foreach (var invited in invitations.DistinctBy(e => e.ConsultationId))
        {
            if (await consultations.Load(invited.ConsultationId, cancellationToken) is { Status: ConsultationStatus.Open } consultation && consultation.Staff.Contains(me))
            {
                open.Add((invited, consultation));
            }
        }
        var doctors = await db.LoadManyAsync<StaffAccount>(cancellationToken, open.Select(o => o.Consultation.DoctorId).Distinct());
        return TypedResults.Ok<IReadOnlyList<ConsultationInvitation>>(open
            .Select(o => new ConsultationInvitation(o.Consultation.Id, o.Consultation.Token, o.Consultation.DoctorId,
                doctors.FirstOrDefault(d => d.Id == o.Consultation.DoctorId)?.Name ?? "", o.Invited.At))
            .ToList());
    }

    /// <summary>Only the consultation's own doctor decides who else comes into its room; anyone else is refused and audited.</summary>
    private static async Task<ProblemHttpResult?> NotTheDoctor(
        Consultation? consultation, ClaimsPrincipal user, AuditTrail audit, Guid consultationId, string action, CancellationToken cancellationToken)
    {
        if (consultation is null)
        {
            return Problems.NotFound("There is no such consultation.");
        }
        if (consultation.DoctorId != user.AccountId())
        {
            await audit.Refused(user.AccountId(), $"consultation/{consultationId}", action, cancellationToken);
            return Problems.Forbidden(ConsultationError.NotTheDoctor.Message);
        }
        return null;
    }

    /// <summary>Null for a participant of the consultation; anyone else is refused and audited.</summary>
    internal static async Task<ProblemHttpResult?> Refusal(
        Consultation? consultation, ClaimsPrincipal user, AuditTrail audit, Guid consultationId, string action, CancellationToken cancellationToken)
    {
        if (consultation is null)
        {
            return Problems.NotFound("There is no such consultation.");
        }
        if (consultation.RoleOf(user.AccountId()) is null)
        {
            await audit.Refused(user.AccountId(), $"consultation/{consultationId}", action, cancellationToken);
            return Problems.Forbidden(ConsultationError.NotParticipant.Message);
        }
        return null;
    }

    private static Guid? AccountOf(object @event) => @event switch
    {
        ConsultationStarted e => e.DoctorId,
        StaffInvited e => e.StaffId,
        GuestInvited e => e.InvitedBy,
        GuestAdmitted e => e.GuestId,
        ParticipantJoined e => e.AccountId,
        ParticipantLeft e => e.AccountId,
        CallConnected e => e.ReportedBy,
        CallModeChanged e => e.By,
        PatientCameraReported e => e.By,
        ChatMessagePosted e => e.SenderId,
        ChatMessageRead e => e.ReaderId,
        FileShared e => e.SharedBy,
        ConsultationCompleted e => e.DoctorId,
        _ => null,
    };
}
