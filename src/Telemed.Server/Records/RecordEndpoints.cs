using System.Security.Claims;
using Marten;
using Telemed.Domain.Abdm;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Records;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Records;

public sealed record CareContextView(
    Guid ConsultationId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, ConsultationStatus Status, Guid DoctorId, string DoctorName,
    Guid? PrescriptionId, string? PatientAbha, int? Rating = null);

public sealed record ConsentRequest(Guid? DoctorId, int? Days);

public sealed record ConsentView(Guid DoctorId, string DoctorName, DateTimeOffset GrantedAt, DateTimeOffset Until);

/// <summary>One change to who may read the patient's records: <c>granted</c> (until when) or <c>withdrawn</c>.</summary>
public sealed record ConsentChange(string Change, Guid DoctorId, string DoctorName, DateTimeOffset At, DateTimeOffset? Until);

/// <summary>
/// One entry of the patient's access log: a read by someone at Telemed, or (basis <see cref="SharedBasis"/>, reader id
/// empty, reader named by the HIU) a care context sent through ABDM, described by <see cref="Shared"/>.
/// </summary>
public sealed record AccessLogEntry(Guid ReaderId, string ReaderName, string Basis, string Resource, DateTimeOffset At, string? Reason, AbdmShare? Shared = null)
{
    public const string SharedBasis = "AbdmConsent";
}

/// <summary>What was sent to a health information user: under which consent artefact, for which purpose (ABDM's code and text), which types.</summary>
public sealed record AbdmShare(string ConsentId, string? HiuId, string PurposeCode, string? PurposeText, IReadOnlyList<string> HiTypes);

/// <summary>
/// The patient's health records (ABDM: a care context per consultation, keyed by the patient's ABHA): the list, consents
/// and the access log. The documents themselves (a consultation's OPConsultRecord, a prescription's PDF and
/// PrescriptionRecord) are served by their features through <see cref="HealthRecords"/>, so every read is written to
/// the patient's own stream, which the patient reads back here as the access log.
/// </summary>
public static class RecordEndpoints
{
    public static void MapHealthRecords(this IEndpointRouteBuilder app)
    {
        var records = app.MapGroup("/api/records").WithTags("Health records");
        records.MapGet("/", Mine).RequireAuthorization(Roles.Patient).WithSummary("Patient: my consultations (care contexts), newest first.");
        records.MapGet("/consents", Consents).RequireAuthorization(Roles.Patient).WithSummary("Patient: doctors I let read my records, and until when.");
        records.MapPost("/consents", Grant).RequireAuthorization(Roles.Patient).WithSummary("Patient: let a doctor read my records for 1 to 90 days.");
        records.MapGet("/consents/history", ConsentHistory).RequireAuthorization(Roles.Patient)
            .WithSummary("Patient: every time I let a doctor read my records or withdrew it, newest first.");
        records.MapDelete("/consents/{doctorId:guid}", Withdraw).RequireAuthorization(Roles.Patient).WithSummary("Patient: withdraw a doctor's access.");
        records.MapGet("/access-log", AccessLog).RequireAuthorization(Roles.Patient)
            .WithSummary("Patient: who read my records, when, and on what basis; and what was sent to other providers under my ABDM consent.");
        app.MapGet("/api/patients/{patientId:guid}/records", OfPatient).RequireAuthorization(Roles.Doctor).WithTags("Health records")
            .WithSummary("Doctor: a patient's records, while the patient is in my consultation or with their consent (audited).");
    }

    private static async Task<IResult> Mine(ClaimsPrincipal user, IQuerySession db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await List(db, user.AccountId(), cancellationToken, withRatings: true));

    private static async Task<IResult> OfPatient(Guid patientId, ClaimsPrincipal user, IQuerySession db, HealthRecords records, CancellationToken cancellationToken)
    {
        if (await db.LoadAsync<PatientAccount>(patientId, cancellationToken) is null)
        {
            return HealthRecords.NoAccess();
        }
        return await records.Open(user.AccountId(), patientId, null, $"patient/{patientId}/records", cancellationToken) is null
            ? HealthRecords.NoAccess()
            : TypedResults.Ok(await List(db, patientId, cancellationToken));
    }

    /// <param name="withRatings">The patient's own list only: a doctor reading their records never sees how the patient rated a visit.</param>
    private static async Task<List<CareContextView>> List(IQuerySession db, Guid patientId, CancellationToken cancellationToken, bool withRatings = false)
    {
        var contexts = await db.Query<CareContext>().Where(c => c.PatientId == patientId).OrderByDescending(c => c.StartedAt).ToListAsync(cancellationToken);
        var doctors = await db.LoadManyAsync<StaffAccount>(cancellationToken, contexts.Select(c => c.DoctorId).Distinct());
        var abha = (await db.LoadAsync<PatientAbha>(patientId, cancellationToken))?.Profile;
        var ids = contexts.Select(c => c.Id).ToArray();
        var ratings = !withRatings ? [] : (await db.Events.QueryRawEventDataOnly<FeedbackGiven>().Where(f => f.ConsultationId.IsOneOf(ids)).ToListAsync(cancellationToken))
            .ToDictionary(f => f.ConsultationId, f => f.Rating);
        return [.. contexts.Select(c => new CareContextView(c.Id, c.StartedAt, c.EndedAt, c.Status, c.DoctorId,
            doctors.FirstOrDefault(d => d.Id == c.DoctorId)?.Name ?? "", c.PrescriptionId, abha?.Number ?? abha?.Address,
            ratings.TryGetValue(c.Id, out var rating) ? rating : null))];
    }

    private static async Task<IResult> Consents(ClaimsPrincipal user, IQuerySession db, TimeProvider time, CancellationToken cancellationToken)
    {
        var patientId = user.AccountId();
        var now = time.GetUtcNow();
        var consents = await db.Query<ConsentDocument>().Where(c => c.Consent.PatientId == patientId).ToListAsync(cancellationToken);
        var active = consents.Select(c => c.Consent).Where(c => c.ActiveAt(now)).ToList();
        var doctors = await db.LoadManyAsync<StaffAccount>(cancellationToken, active.Select(c => c.DoctorId));
        return TypedResults.Ok(active.Select(c => new ConsentView(c.DoctorId, doctors.FirstOrDefault(d => d.Id == c.DoctorId)?.Name ?? "", c.GrantedAt, c.Until)));
    }

    private static async Task<IResult> Grant(ConsentRequest request, ClaimsPrincipal user, IDocumentStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        if (request.DoctorId is not { } doctorId || await session.LoadAsync<StaffAccount>(doctorId, cancellationToken) is not { Role: Role.Doctor, Active: true })
        {
            return Problems.Invalid("doctorId", "Name an active doctor.");
        }
        var patientId = user.AccountId();
        var now = time.GetUtcNow();
        var granted = RecordAccess.Grant(patientId, doctorId, request.Days, now);
        if (!granted.IsSuccess)
        {
            return Problems.Invalid("days", granted.Error.Message);
        }
        session.Store(new ConsentDocument(ConsentDocument.Key(patientId, doctorId), granted.Value));
        await session.SaveChangesAsync(cancellationToken);
        await AccountJournal.Record(store, patientId, cancellationToken, new RecordConsentGranted(patientId, doctorId, granted.Value.Until, now));
        return TypedResults.Ok(new { granted.Value.DoctorId, granted.Value.Until });
    }

    private static async Task<IResult> Withdraw(Guid doctorId, ClaimsPrincipal user, IDocumentStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var patientId = user.AccountId();
        var now = time.GetUtcNow();
        var consent = await session.LoadAsync<ConsentDocument>(ConsentDocument.Key(patientId, doctorId), cancellationToken);
        if (consent is null || !consent.Consent.ActiveAt(now))
        {
            return TypedResults.NoContent();
        }
        session.Store(consent with { Consent = consent.Consent with { RevokedAt = now } });
        await session.SaveChangesAsync(cancellationToken);
        await AccountJournal.Record(store, patientId, cancellationToken, new RecordConsentRevoked(patientId, doctorId, now));
        return TypedResults.NoContent();
    }

    private static async Task<IResult> ConsentHistory(ClaimsPrincipal user, IQuerySession db, CancellationToken cancellationToken)
    {
        // The patient's own stream, in the order things happened (two changes in the same instant keep their order).
        var changes = (await db.Events.FetchStreamAsync(user.AccountId(), token: cancellationToken))
            .Select(e => e.Data switch
            {
                RecordConsentGranted g => (Change: "granted", g.DoctorId, g.At, Until: (DateTimeOffset?)g.Until),
                RecordConsentRevoked r => (Change: "withdrawn", r.DoctorId, r.At, Until: null),
                _ => default,
            })
            .Where(c => c.Change is not null)
            .Reverse()
            .ToList();
        var doctors = await db.LoadManyAsync<StaffAccount>(cancellationToken, changes.Select(c => c.DoctorId).Distinct());
        return TypedResults.Ok(changes.Select(c => new ConsentChange(c.Change, c.DoctorId, doctors.FirstOrDefault(d => d.Id == c.DoctorId)?.Name ?? "", c.At, c.Until)));
    }

    private static async Task<IResult> AccessLog(ClaimsPrincipal user, IQuerySession db, CancellationToken cancellationToken)
    {
        var patientId = user.AccountId();
        // A read of this patient's record names them (on their own stream, or a pharmacy's); a queue's read names every patient in it.
        var ownReads = await db.Events.QueryRawEventDataOnly<RecordRead>().Where(r => r.PatientId == patientId).ToListAsync(cancellationToken);
        var sharedReads = await db.Events.QueryRawEventDataOnly<RecordsRead>().Where(r => r.PatientIds.Contains(patientId)).ToListAsync(cancellationToken);
        var reads = ownReads.Concat(sharedReads.Select(r => new RecordRead(patientId, r.ReaderId, r.Basis, r.Resource, r.At, r.Reason))).ToList();
        var staff = await db.LoadManyAsync<StaffAccount>(cancellationToken, reads.Select(r => r.ReaderId).Distinct());
        var guardian = (await db.LoadAsync<PatientAccount>(patientId, cancellationToken))?.GuardianId is { } guardianId
            ? await db.LoadAsync<PatientAccount>(guardianId, cancellationToken)
            : null;
        string ReaderName(Guid readerId) =>
            readerId == patientId ? "You" : readerId == guardian?.Id ? guardian.Name : staff.FirstOrDefault(s => s.Id == readerId)?.Name ?? "";
        // Care contexts sent to another provider (an HIU) under the patient's ABDM consent: the HIU is no Telemed account.
        var shares = await db.Events.QueryRawEventDataOnly<RecordsShared>().Where(s => s.PatientId == patientId).ToListAsync(cancellationToken);
        return TypedResults.Ok(reads.Select(r => new AccessLogEntry(r.ReaderId, ReaderName(r.ReaderId), r.Basis, r.Resource, r.At, r.Reason))
            .Concat(shares.Select(s => new AccessLogEntry(Guid.Empty, s.HiuName ?? s.HiuId ?? "", AccessLogEntry.SharedBasis, $"consultation/{s.ConsultationId}", s.At, null,
                new AbdmShare(s.ConsentId, s.HiuId, s.PurposeCode, s.PurposeText, s.HiTypes))))
            .OrderByDescending(e => e.At));
    }
}
