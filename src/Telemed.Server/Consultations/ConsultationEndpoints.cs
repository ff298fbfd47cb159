using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Telemed.Domain.Consultations;
using Telemed.Domain.Records;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Records;

namespace Telemed.Server.Consultations;

public sealed record ConsultationView(
    Guid Id, Guid SessionId, int Token, Guid DoctorId, Guid PatientId, IReadOnlyList<Guid> Staff, ConsultationStatus Status, CallMode Mode,
    IReadOnlyList<ConsultationHistoryItem> History);

/// <summary>Who was there when: one line per event, without chat text (which stays in the record, not in this summary).</summary>
public sealed record ConsultationHistoryItem(long Version, string Event, Guid? AccountId, DateTimeOffset At);

public sealed record InviteRequest(Guid? StaffId);

public static class ConsultationEndpoints
{
    public static void MapConsultations(this IEndpointRouteBuilder app)
    {
        var consultations = app.MapGroup("/api/consultations/{consultationId:guid}").WithTags("Consultations");
        consultations.MapGet("/", Get).WithSummary("A consultation and its history (participants only).");
        consultations.MapGet("/ice-servers", Servers).WithSummary("STUN/TURN servers with time-limited TURN credentials (participants only).");
        consultations.MapPost("/staff", Invite).WithSummary("The consulting doctor adds a staff member (interpreter, specialist) to the room.");
        app.MapPreCall();
        app.MapClinicalRecord();
    }

    private static async Task<Results<Ok<ConsultationView>, ProblemHttpResult>> Get(
        Guid consultationId, ClaimsPrincipal user, ConsultationService consultations, AuditTrail audit, HealthRecords records, CancellationToken cancellationToken)
    {
        var consultation = await consultations.Load(consultationId, cancellationToken);
        if (await Refusal(consultation, user, audit, consultationId, "read consultation", cancellationToken) is { } refused)
        {
            return refused;
        }
        var readerId = user.AccountId();
        await records.Logged(readerId, consultation!.PatientId, readerId == consultation.PatientId ? RecordAccessBasis.Self : RecordAccessBasis.Participant,
            $"consultation/{consultationId}", cancellationToken);
        var history = (await consultations.History(consultationId, cancellationToken))
            .Select(e => new ConsultationHistoryItem(e.Version, e.Data.GetType().Name, AccountOf(e.Data), e.Timestamp))
            .ToList();
        return TypedResults.Ok(new ConsultationView(consultation!.Id, consultation.SessionId, consultation.Token, consultation.DoctorId, consultation.PatientId,
            consultation.Staff.ToList(), consultation.Status, consultation.Mode, history));
    }

    private static async Task<Results<Ok<IceServers>, ProblemHttpResult>> Servers(
        Guid consultationId, ClaimsPrincipal user, ConsultationService consultations, ConsultationRooms rooms, AuditTrail audit, CancellationToken cancellationToken)
    {
        var consultation = await consultations.Load(consultationId, cancellationToken);
        return await Refusal(consultation, user, audit, consultationId, "get ICE servers", cancellationToken) is { } refused
            ? refused
            : TypedResults.Ok(rooms.ServersFor(user.AccountId()));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Invite(
        Guid consultationId, InviteRequest request, ClaimsPrincipal user, ConsultationService consultations, Marten.IQuerySession db, CancellationToken cancellationToken)
    {
        if (request.StaffId is not { } staffId || await db.LoadAsync<StaffAccount>(staffId, cancellationToken) is not { Active: true })
        {
            return Problems.Invalid("staffId", "An active staff account is required.");
        }
        var recorded = await consultations.Execute(consultationId, (state, now) => ConsultationDecisions.Invite(state, user.AccountId(), staffId, now), cancellationToken);
        if (recorded.IsSuccess)
        {
            return TypedResults.NoContent();
        }
        var status = recorded.Error.Code switch
        {
            "ConsultationNotFound" => StatusCodes.Status404NotFound,
            "NotTheDoctor" => StatusCodes.Status403Forbidden,
            _ => StatusCodes.Status409Conflict,
        };
        return TypedResults.Problem(recorded.Error.Message, statusCode: status, title: recorded.Error.Code);
    }

    private static async Task<ProblemHttpResult?> Refusal(
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
        ParticipantJoined e => e.AccountId,
        ParticipantLeft e => e.AccountId,
        CallConnected e => e.ReportedBy,
        CallModeChanged e => e.By,
        ChatMessagePosted e => e.SenderId,
        ChatMessageRead e => e.ReaderId,
        ConsultationCompleted e => e.DoctorId,
        _ => null,
    };
}
