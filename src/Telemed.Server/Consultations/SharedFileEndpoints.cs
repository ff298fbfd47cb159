using System.Security.Claims;
using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.SignalR;
using Telemed.Domain;
using Telemed.Domain.Consultations;
using Telemed.Domain.Queue;
using Telemed.Domain.Records;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Queue;
using Telemed.Server.Realtime;
using Telemed.Server.Records;

namespace Telemed.Server.Consultations;

/// <summary>A file or photo shared during a call. Stored beside the consultation; its stream keeps only the reference (<see cref="FileShared"/>).</summary>
public sealed record SharedCallFile(
    Guid Id, Guid ConsultationId, Guid PatientId, Guid SharedBy, string FileName, string ContentType, byte[] Data, DateTimeOffset SharedAt);

/// <summary>What the room sees of a shared file; its bytes are fetched from <c>/api/consultations/{id}/files/{fileId}</c>.</summary>
public sealed record SharedFileView(Guid Id, Guid ConsultationId, string FileName, string ContentType, long Size, Guid SharedBy, ParticipantRole? Role, DateTimeOffset At)
{
    public static SharedFileView Of(FileShared e, Consultation consultation) =>
        new(e.FileId, e.ConsultationId, e.FileName, e.ContentType, e.Size, e.SharedBy, consultation.RoleOf(e.SharedBy), e.At);
}

/// <summary>
/// Files and photos shared in a call, both ways: checked as check-in attachments are (type from the bytes, size, photo
/// metadata stripped), kept on the consultation, announced to the room, and readable by its participants only — each
/// read on the patient's access log like any other read of their record.
/// </summary>
public static class SharedFileEndpoints
{
    private const long MaxRequestBytes = AttachmentRules.MaxBytes + 64 * 1024;

    public static void MapSharedFiles(this RouteGroupBuilder consultations)
    {
        consultations.MapPost("/files", Share).RequireRateLimiting(Security.SharedFileLimit)
            .DisableAntiforgery()
            .WithMetadata(new RequestSizeLimitAttribute(MaxRequestBytes))
            .WithSummary("A participant in the room shares a file or photo (multipart, one 'file': JPEG, PNG, WebP or PDF, at most 5 MB).");
        consultations.MapGet("/files", List).WithSummary("The files shared in the consultation (participants only).");
        consultations.MapGet("/files/{fileId:guid}", Download).WithSummary("One shared file (participants only).");
    }

    private static async Task<Results<Created<SharedFileView>, ProblemHttpResult>> Share(
        Guid consultationId, HttpContext http, ClaimsPrincipal user, ConsultationService consultations, AuditTrail audit,
        IHubContext<ConsultationHub, IConsultationClient> hub, Pushes pushes, CancellationToken cancellationToken)
    {
        var consultation = await consultations.Load(consultationId, cancellationToken);
        if (await ConsultationEndpoints.Refusal(consultation, user, audit, consultationId, "share file", cancellationToken) is { } refused)
        {
            return refused;
        }
        if (!http.Request.HasFormContentType)
        {
            return TypedResults.Problem("Send the file as multipart/form-data, in a field named 'file'.",
                statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported media type");
        }
        var form = await http.Request.ReadFormAsync(cancellationToken);
        if (form.Files.Count != 1 || form.Files.GetFile("file") is not { } upload)
        {
            return Problems.Invalid("file", "Send exactly one file, in a field named 'file'.");
        }
        var errors = new FieldErrors();
        if (await AttachmentUpload.Check(upload, "file", errors, cancellationToken) is not { } file)
        {
            return Problems.Invalid(errors);
        }
        var sharedBy = user.AccountId();
        var fileId = Ids.New();
        SharedCallFile? stored = null;
        var recorded = await consultations.Execute(consultationId,
            (state, now) =>
            {
                stored = new SharedCallFile(fileId, consultationId, state.PatientId, sharedBy, file.FileName, file.ContentType, file.Data, now);
                return ConsultationDecisions.ShareFile(state, sharedBy, fileId, file.FileName, file.ContentType, file.Data.Length, now);
            },
            cancellationToken,
            alongside: session => session.Insert(stored!));
        if (!recorded.IsSuccess)
        {
            return TypedResults.Problem(recorded.Error.Message, statusCode: StatusCodes.Status409Conflict, title: recorded.Error.Code);
        }
        var view = SharedFileView.Of(recorded.Value.Events.OfType<FileShared>().Single(), recorded.Value.State);
        pushes.Send(deadline => hub.Clients.Group(RoomRegistry.Group(consultationId)).FileShared(view, deadline));
        return TypedResults.Created($"/api/consultations/{consultationId}/files/{fileId}", view);
    }

    private static async Task<Results<Ok<IReadOnlyList<SharedFileView>>, ProblemHttpResult>> List(
        Guid consultationId, ClaimsPrincipal user, ConsultationService consultations, AuditTrail audit, CancellationToken cancellationToken)
    {
        var consultation = await consultations.Load(consultationId, cancellationToken);
        if (await ConsultationEndpoints.Refusal(consultation, user, audit, consultationId, "list shared files", cancellationToken) is { } refused)
        {
            return refused;
        }
        return TypedResults.Ok<IReadOnlyList<SharedFileView>>(consultation!.SharedFiles.Select(e => SharedFileView.Of(e, consultation)).ToList());
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Download(
        Guid consultationId, Guid fileId, ClaimsPrincipal user, ConsultationService consultations, AuditTrail audit, HealthRecords records, IQuerySession db,
        CancellationToken cancellationToken)
    {
        var consultation = await consultations.Load(consultationId, cancellationToken);
        if (await ConsultationEndpoints.Refusal(consultation, user, audit, consultationId, "read shared file", cancellationToken) is { } refused)
        {
            return refused;
        }
        if (await db.LoadAsync<SharedCallFile>(fileId, cancellationToken) is not { } file || file.ConsultationId != consultationId)
        {
            return Problems.NotFound("There is no such file in this consultation.");
        }
        var resource = $"consultation/{consultationId}/file/{fileId}";
        await (user.AccountId() == consultation!.PatientId
            ? records.LoggedOwn(user, consultation.PatientId, resource, cancellationToken)
            : records.Logged(user.AccountId(), consultation.PatientId, RecordAccessBasis.Participant, resource, cancellationToken));
        return TypedResults.File(file.Data, file.ContentType, file.FileName);
    }
}
