using System.Security.Claims;
using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain.Abdm;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;
using Telemed.Domain.Records;
using Telemed.Server.Consultations;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Prescriptions;

namespace Telemed.Server.Records;

public sealed record CareContextView(
    Guid ConsultationId, DateTimeOffset StartedAt, DateTimeOffset? EndedAt, ConsultationStatus Status, Guid DoctorId, string DoctorName,
    Guid? PrescriptionId, string? PatientAbha);

public sealed record ConsentRequest(Guid? DoctorId, int? Days);

public sealed record ConsentView(Guid DoctorId, string DoctorName, DateTimeOffset GrantedAt, DateTimeOffset Until);

public sealed record AccessLogEntry(Guid ReaderId, string ReaderName, string Basis, string Resource, DateTimeOffset At);

/// <summary>
/// The patient's health records (ABDM: a care context per consultation, keyed by the patient's ABHA): the list, each
/// consultation's OPConsultRecord and each prescription's PDF and PrescriptionRecord. Every read is written to the
/// patient's own stream, which the patient can read back as an access log.
/// </summary>
public static class RecordEndpoints
{
    private const string FhirJson = "application/fhir+json";

    public static void MapHealthRecords(this IEndpointRouteBuilder app)
    {
        var records = app.MapGroup("/api/records").WithTags("Health records");
        records.MapGet("/", Mine).RequireAuthorization(Roles.Patient).WithSummary("Patient: my consultations (care contexts), newest first.");
        records.MapGet("/consents", Consents).RequireAuthorization(Roles.Patient).WithSummary("Patient: doctors I let read my records, and until when.");
        records.MapPost("/consents", Grant).RequireAuthorization(Roles.Patient).WithSummary("Patient: let a doctor read my records for 1 to 90 days.");
        records.MapDelete("/consents/{doctorId:guid}", Withdraw).RequireAuthorization(Roles.Patient).WithSummary("Patient: withdraw a doctor's access.");
        records.MapGet("/access-log", AccessLog).RequireAuthorization(Roles.Patient).WithSummary("Patient: who read my records, when, and on what basis.");
        app.MapGet("/api/patients/{patientId:guid}/records", OfPatient).RequireAuthorization(Roles.Doctor).WithTags("Health records")
            .WithSummary("Doctor: a patient's records, while the patient is in my consultation or with their consent (audited).");
        app.MapGet("/api/consultations/{consultationId:guid}/fhir", OpConsult).WithTags("Health records")
            .WithSummary("OPConsultRecord FHIR document of a completed consultation (audited).");
        app.MapGet("/api/prescriptions/{prescriptionId:guid}/pdf", Pdf).WithTags("Health records")
            .WithSummary("The signed prescription as an A4 PDF with its verification QR code (audited).");
        app.MapGet("/api/prescriptions/{prescriptionId:guid}/fhir", PrescriptionFhir).WithTags("Health records")
            .WithSummary("PrescriptionRecord FHIR document with the signed PDF and the JWS (audited).");
    }

    private static async Task<IResult> Mine(ClaimsPrincipal user, IQuerySession db, CancellationToken cancellationToken) =>
        TypedResults.Ok(await List(db, user.AccountId(), cancellationToken));

    private static async Task<IResult> OfPatient(Guid patientId, ClaimsPrincipal user, IQuerySession db, HealthRecords records, CancellationToken cancellationToken)
    {
        if (await db.LoadAsync<PatientAccount>(patientId, cancellationToken) is null)
        {
            return Problems.NotFound("There is no such patient.");
        }
        return await records.Open(user.AccountId(), patientId, null, $"patient/{patientId}/records", cancellationToken) is null
            ? NoAccess()
            : TypedResults.Ok(await List(db, patientId, cancellationToken));
    }

    private static async Task<List<CareContextView>> List(IQuerySession db, Guid patientId, CancellationToken cancellationToken)
    {
        var contexts = await db.Query<CareContext>().Where(c => c.PatientId == patientId).OrderByDescending(c => c.StartedAt).ToListAsync(cancellationToken);
        var doctors = await db.LoadManyAsync<StaffAccount>(cancellationToken, contexts.Select(c => c.DoctorId).Distinct());
        var abha = (await db.LoadAsync<PatientAbha>(patientId, cancellationToken))?.Profile;
        return [.. contexts.Select(c => new CareContextView(c.Id, c.StartedAt, c.EndedAt, c.Status, c.DoctorId,
            doctors.FirstOrDefault(d => d.Id == c.DoctorId)?.Name ?? "", c.PrescriptionId, abha?.Number ?? abha?.Address))];
    }

    private static async Task<IResult> OpConsult(
        Guid consultationId, ClaimsPrincipal user, ConsultationService consultations, IQuerySession db, HealthRecords records, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var consultation = await consultations.Load(consultationId, cancellationToken);
        if (consultation is null)
        {
            return Problems.NotFound("There is no such consultation.");
        }
        if (await records.Open(user.ActorId(), consultation.PatientId, consultation.DoctorId, $"consultation/{consultationId}/fhir", cancellationToken) is null)
        {
            return NoAccess();
        }
        if (consultation.Status != ConsultationStatus.Completed)
        {
            return Problems.Conflict("The consultation is not completed yet: its record is still being written.");
        }
        var parties = await ClinicalParties.Load(db, consultation, time.GetUtcNow(), cancellationToken);
        var bundle = FhirDocuments.OpConsultRecord(consultation, parties.Facility, parties.Doctor, parties.Patient, consultation.EndedAt!.Value);
        return TypedResults.Text(FhirDocuments.ToJson(bundle), FhirJson);
    }

    private static Task<IResult> Pdf(Guid prescriptionId, ClaimsPrincipal user, IQuerySession db, HealthRecords records, PrescriptionPdf pdf,
        IOptions<PrescriptionOptions> options, CancellationToken cancellationToken) =>
        WithPrescriptionPdf(prescriptionId, "pdf", user, db, records, pdf, options,
            (_, document) => TypedResults.File(document, "application/pdf", $"prescription-{prescriptionId}.pdf"), cancellationToken);

    private static Task<IResult> PrescriptionFhir(Guid prescriptionId, ClaimsPrincipal user, IQuerySession db, HealthRecords records, PrescriptionPdf pdf,
        IOptions<PrescriptionOptions> options, CancellationToken cancellationToken) =>
        WithPrescriptionPdf(prescriptionId, "fhir", user, db, records, pdf, options,
            (prescription, document) => TypedResults.Text(FhirDocuments.ToJson(FhirDocuments.PrescriptionRecord(prescription.Content, document, prescription.Jws)), FhirJson),
            cancellationToken);

    /// <summary>Loads the prescription, records the read (or refuses it), renders its signed PDF and answers with it.</summary>
    private static async Task<IResult> WithPrescriptionPdf(
        Guid prescriptionId, string what, ClaimsPrincipal user, IQuerySession db, HealthRecords records, PrescriptionPdf pdf, IOptions<PrescriptionOptions> options,
        Func<Prescription, byte[], IResult> answer, CancellationToken cancellationToken)
    {
        var prescription = await PrescriptionEndpoints.Load(db, prescriptionId, cancellationToken);
        if (prescription is null)
        {
            return Problems.NotFound("There is no such prescription.");
        }
        var content = prescription.Content;
        if (await records.Open(user.ActorId(), content.Patient.Id, content.Doctor.Id, $"prescription/{prescriptionId}/{what}", cancellationToken) is null)
        {
            return NoAccess();
        }
        // Rendering takes milliseconds of CPU: on the thread pool, not the socket thread other connections share.
        var rendered = await Task.Run(() => pdf.Render(content, options.Value.VerificationUrl(prescriptionId), prescription.KeyId, prescription.Jws), cancellationToken);
        return answer(prescription, rendered);
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
        session.Events.Append(patientId, new RecordConsentGranted(patientId, doctorId, granted.Value.Until, now));
        await session.SaveChangesAsync(cancellationToken);
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
        session.Events.Append(patientId, new RecordConsentRevoked(patientId, doctorId, now));
        await session.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> AccessLog(ClaimsPrincipal user, IQuerySession db, CancellationToken cancellationToken)
    {
        var patientId = user.AccountId();
        var reads = (await db.Events.FetchStreamAsync(patientId, token: cancellationToken)).Select(e => e.Data).OfType<RecordRead>().ToList();
        var staff = await db.LoadManyAsync<StaffAccount>(cancellationToken, reads.Select(r => r.ReaderId).Distinct());
        var guardian = (await db.LoadAsync<PatientAccount>(patientId, cancellationToken))?.GuardianId is { } guardianId
            ? await db.LoadAsync<PatientAccount>(guardianId, cancellationToken)
            : null;
        string ReaderName(Guid readerId) =>
            readerId == patientId ? "You" : readerId == guardian?.Id ? guardian.Name : staff.FirstOrDefault(s => s.Id == readerId)?.Name ?? "";
        return TypedResults.Ok(reads.OrderByDescending(r => r.At).Select(r => new AccessLogEntry(r.ReaderId, ReaderName(r.ReaderId), r.Basis, r.Resource, r.At)));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NoAccess() => Problems.Forbidden(
        "You may read this patient's records only while they are in your consultation or with their consent.");
}
