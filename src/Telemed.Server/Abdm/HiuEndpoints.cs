using System.Security.Claims;
using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Abdm;
using Telemed.Domain.Identity;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Records;

namespace Telemed.Server.Abdm;

/// <summary>What a doctor asks consent for: a purpose code, health-information types, the records' date range and the consent's expiry.</summary>
public sealed record ConsentAskInput(string? Purpose, List<string>? HiTypes, DateTimeOffset? From, DateTimeOffset? To, DateTimeOffset? ExpiresAt);

/// <summary>A consent request as the doctor and the patient see it, with the artefacts it produced (one per HIP).</summary>
public sealed record ConsentRequestView(
    Guid Id, Guid DoctorId, string DoctorName, string PurposeCode, IReadOnlyList<string> HiTypes, DateTimeOffset From, DateTimeOffset To,
    DateTimeOffset ExpiresAt, DateTimeOffset RequestedAt, ConsentRequestStatus Status, string? Problem, IReadOnlyList<ArtefactView> Artefacts);

public sealed record ArtefactView(string Id, ConsentRequestStatus Status, string? HipId, string? HipName, IReadOnlyList<string> HiTypes, DateTimeOffset? DataEraseAt);

/// <summary>A document received from elsewhere, read-only, with its provenance: which facility, of which date, which type.</summary>
public sealed record ReceivedRecordView(
    Guid Id, Guid ConsentRequestId, string? HipId, string? HipName, string HiType, string? Title, DateTimeOffset? Date, DateTimeOffset ReceivedAt,
    DateTimeOffset EraseAt, string Content);

/// <summary>The doctor's "records from elsewhere" panel: the consent requests for the patient and the documents received.</summary>
public sealed record RecordsFromElsewhere(IReadOnlyList<ConsentRequestView> Requests, IReadOnlyList<ReceivedRecordView> Documents);

/// <summary>
/// Records held elsewhere, asked for through ABDM (Telemed as HIU). A doctor may ask and look for a patient whose
/// records are open to them (<see cref="HealthRecords.Open"/>: in their consultation, or with the patient's consent in
/// Telemed), each time on the patient's access log; the patient sees their consent requests.
/// </summary>
public static class HiuEndpoints
{
    public static void MapHiu(this IEndpointRouteBuilder app)
    {
        var doctor = app.MapGroup("/api/patients/{patientId:guid}/records-from-elsewhere").WithTags("Health records").RequireAuthorization(Roles.Doctor);
        doctor.MapGet("/", List)
            .WithSummary("Doctor: consent requests for a patient's records held elsewhere, their status, and the documents received, read-only (audited).");
        doctor.MapPost("/consents", Request)
            .WithSummary("Doctor: ask the patient's consent (through ABDM) for records held elsewhere: purpose, types, date range, expiry.");
        app.MapGet("/api/records/abdm-consents", Mine).WithTags("Health records").RequireAuthorization(Roles.Patient)
            .WithSummary("Patient: consent requests doctors made for my records held elsewhere: requested, granted, denied, revoked or expired.");
    }

    private static async Task<IResult> Request(
        Guid patientId, ConsentAskInput input, HttpContext http, ClaimsPrincipal user, IQuerySession db, HealthRecords records, HiuDataFlow flow,
        IOptions<AbdmOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (!options.Value.Configured || options.Value.HiuIdOrHipId is null)
        {
            return AbdmProblems.NotConfigured();
        }
        if (await db.LoadAsync<PatientAccount>(patientId, cancellationToken) is null
            || await records.Open(user.AccountId(), patientId, null, $"patient/{patientId}/records-from-elsewhere/consents", cancellationToken) is null)
        {
            return HealthRecords.NoAccess();
        }
        var now = time.GetUtcNow();
        var errors = new FieldErrors();
        var ask = ConsentAsk.Parse(input.Purpose, input.HiTypes, input.From, input.To, input.ExpiresAt, now, errors);
        if (ask is null)
        {
            return Problems.Invalid(errors);
        }
        if ((await db.LoadAsync<PatientAbha>(patientId, cancellationToken))?.Profile.Address is not { } address)
        {
            return Problems.Conflict("The patient has no verified ABHA address: records held elsewhere are asked for through their ABHA.");
        }
        var pushBase = options.Value.PublicUrl ?? $"{http.Request.Scheme}://{http.Request.Host}";
        var request = await flow.Ask(new HiuConsentRequest(Ids.New(), patientId, user.AccountId(), address, ask.PurposeCode, ask.HiTypes, ask.From, ask.To,
            ask.ExpiresAt, now, pushBase, null, ConsentRequestStatus.Requested, null, now), cancellationToken);
        var doctorName = (await db.LoadAsync<StaffAccount>(user.AccountId(), cancellationToken))?.Name ?? "";
        return TypedResults.Created($"/api/patients/{patientId}/records-from-elsewhere", View(request, doctorName, []));
    }

    private static async Task<IResult> List(
        Guid patientId, ClaimsPrincipal user, IQuerySession db, HealthRecords records, HiuDataFlow flow, CancellationToken cancellationToken)
    {
        if (await db.LoadAsync<PatientAccount>(patientId, cancellationToken) is null
            || await records.Open(user.AccountId(), patientId, null, $"patient/{patientId}/records-from-elsewhere", cancellationToken) is null)
        {
            return HealthRecords.NoAccess();
        }
        var documents = await flow.Received(db, patientId, cancellationToken);
        return TypedResults.Ok(new RecordsFromElsewhere(await Requests(db, patientId, cancellationToken),
            [.. documents.Select(d => new ReceivedRecordView(d.Record.Id, d.Record.ConsentRequestId, d.Record.HipId, d.Record.HipName, d.Record.HiType,
                d.Record.Title, d.Record.Date, d.Record.ReceivedAt, d.Record.EraseAt, d.Content))]));
    }

    private static async Task<IResult> Mine(ClaimsPrincipal user, IQuerySession db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await Requests(db, user.AccountId(), cancellationToken));

    private static async Task<IReadOnlyList<ConsentRequestView>> Requests(IQuerySession db, Guid patientId, CancellationToken cancellationToken)
    {
        var requests = await db.Query<HiuConsentRequest>().Where(r => r.PatientId == patientId).OrderByDescending(r => r.RequestedAt).ToListAsync(cancellationToken);
        var artefacts = await db.Query<HiuArtefact>().Where(a => a.PatientId == patientId).ToListAsync(cancellationToken);
        var doctors = await db.LoadManyAsync<StaffAccount>(cancellationToken, requests.Select(r => r.DoctorId).Distinct());
        return [.. requests.Select(r => View(r, doctors.FirstOrDefault(d => d.Id == r.DoctorId)?.Name ?? "", artefacts.Where(a => a.ConsentRequestId == r.Id)))];
    }

    private static ConsentRequestView View(HiuConsentRequest request, string doctorName, IEnumerable<HiuArtefact> artefacts) =>
        new(request.Id, request.DoctorId, doctorName, request.PurposeCode, request.HiTypes, request.From, request.To, request.ExpiresAt, request.RequestedAt,
            request.Status, request.Problem, [.. artefacts.Select(a => new ArtefactView(a.Id, a.Status, a.HipId, a.HipName, a.HiTypes, a.DataEraseAt))]);
}
