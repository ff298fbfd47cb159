using Marten;
using System.Security.Claims;
using Telemed.Domain;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;
using Telemed.Domain.Queue;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Records;

namespace Telemed.Server.Consultations;

public sealed record DiagnosisInput(string? Text, string? CodeSystem, string? Code);

/// <summary>
/// <c>overrides</c> answer the safety warnings a previous attempt returned (code, line, reason); <c>accompaniedBy</c> names
/// the adult on a minor's prescription when the check-in named none (or another adult came).
/// </summary>
public sealed record PrescriptionInput(
    ConsultKind? Kind, IReadOnlyList<MedicineInput>? Medicines, IReadOnlyList<SafetyOverrideInput>? Overrides = null, AccompanyingAdultInput? AccompaniedBy = null);

/// <summary>The adult who came with a minor; <c>relation</c> is theirs to the patient ("parent").</summary>
public sealed record AccompanyingAdultInput(string? Name, string? Relation);

public sealed record PregnancyInput(string? Status);

public sealed record AddendumInput(Guid? AddendumId, string? Text);

public sealed record ClinicalRecordView(
    Guid ConsultationId,
    long Version,
    ConsultationStatus Status,
    ConsultationMedium Medium,
    Vitals? Vitals,
    ClinicalNotes? Notes,
    Diagnosis? Diagnosis,
    ConsultKind Kind,
    IReadOnlyList<PrescribedMedicine> Medicines,
    IReadOnlyList<Addendum> Addenda,
    Guid? PrescriptionId,
    HealthWorkerView? AssistedBy,
    Guid? VitalsBy,
    PregnancyStatus? Pregnancy,
    IReadOnlyList<SafetyOverride> Overrides,
    AccompanyingAdult? AccompaniedBy)
{
    public static ClinicalRecordView Of(Consultation c) => new(c.Id, c.Record.Version, c.Status, c.Medium, c.Record.Vitals, c.Record.Notes, c.Record.Diagnosis,
        c.Record.Kind, c.Record.Medicines, c.Record.Addenda, c.Record.PrescriptionId,
        c is { HealthWorkerId: { } id, HealthWorker: { } worker } ? new HealthWorkerView(id, worker.Name, worker.Cadre, worker.SpokeId, worker.SpokeName) : null,
        c.Record.VitalsBy, c.Record.Pregnancy, c.Record.Overrides, c.Record.AccompaniedBy ?? c.AccompaniedBy);
}

/// <summary>The spoke's health worker who brought the patient in and sat with them in the call.</summary>
public sealed record HealthWorkerView(Guid HealthWorkerId, string Name, Telemed.Domain.Spokes.Cadre Cadre, Guid SpokeId, string SpokeName);

/// <summary>
/// The doctor's record of a consultation: vitals, notes, diagnosis and the prescription being written. Every change
/// sends If-Match with the record version it was based on (two open tabs cannot overwrite each other; the call's own
/// events do not count). The record is signed
/// when the doctor completes the token in the queue; after that only addenda are added.
/// </summary>
public static class ClinicalEndpoints
{
    public static void MapClinicalRecord(this IEndpointRouteBuilder app)
    {
        var record = app.MapGroup("/api/consultations/{consultationId:guid}/record").WithTags("Clinical record");
        record.MapGet("/", Get).WithSummary("The clinical record so far (its doctor and its patient; ETag = consultation version).");
        record.MapPut("/vitals", (Guid consultationId, VitalsInput input, HttpContext http, CancellationToken ct) =>
            Change(consultationId, http, errors => ClinicalRules.Vitals(input, errors) is { } vitals
                ? (state, by, now) => ClinicalDecisions.RecordVitals(state, by, vitals, now)
                : null, ct))
            .WithSummary("Doctor: record vitals, each with its unit (mmHg, /min, Cel or [degF], %, kg or [lb_av]).");
        record.MapPut("/notes", (Guid consultationId, ClinicalNotes input, HttpContext http, TimeProvider time, CancellationToken ct) =>
            Change(consultationId, http, errors => ClinicalRules.Notes(input, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime), errors) is { } notes
                ? (state, by, now) => ClinicalDecisions.RecordNotes(state, by, notes, now)
                : null, ct))
            .WithSummary("Doctor: chief complaints, history, examination, investigations advised, advice, follow-up date.");
        record.MapPut("/diagnosis", (Guid consultationId, DiagnosisInput input, HttpContext http, CancellationToken ct) =>
            Change(consultationId, http, errors => ClinicalRules.Diagnosis(input.Text, input.CodeSystem, input.Code, errors) is { } diagnosis
                ? (state, by, now) => ClinicalDecisions.RecordDiagnosis(state, by, diagnosis, now)
                : null, ct))
            .WithSummary("Doctor: provisional diagnosis in words, optionally coded (icd10 or snomed).");
        record.MapPut("/pregnancy", (Guid consultationId, PregnancyInput input, HttpContext http, CancellationToken ct) =>
            Change(consultationId, http, errors => errors.RequireValue("status", Pregnancy(input.Status)) is { } status
                ? (state, by, now) => ClinicalDecisions.RecordPregnancy(state, by, status, now)
                : null, ct))
            .WithSummary("Doctor: whether the patient is pregnant or breastfeeding (notPregnant, pregnant, breastfeeding).");
        record.MapPut("/prescription", async (Guid consultationId, PrescriptionInput input, HttpContext http, ConsultationService consultations,
                IQuerySession db, TimeProvider time, CancellationToken ct) =>
            {
                // The patient's history proves a follow-up or a refill, and who they are and their allergies feed the safety
                // checks; a consultation that does not exist, or not the caller's, is refused by Change before any of it is used.
                var consultation = await consultations.Load(consultationId, ct);
                var patient = consultation is null || consultation.DoctorId != http.User.AccountId()
                    ? null
                    : await db.LoadAsync<PatientAccount>(consultation.PatientId, ct);
                var history = patient is null ? PrescribingHistory.None : await PrescribingHistories.Load(db, patient.Id, consultationId, ct);
                var details = patient is null ? null : await ClinicalParties.PatientAsOf(db, patient, time.GetUtcNow(), ct);
                var allergies = patient is null ? [] : await AllergyEndpoints.Active(db, patient.Id, ct);
                return await Change(consultationId, http, errors => Prescription(input, history, details, allergies, errors), ct);
            })
            .WithSummary("Doctor: the medicines to prescribe (replaces the list); checked against the catalogue, TPG 2020 and the safety checks "
                + "(422 SafetyWarnings lists each warning; send overrides with reasons).");
        record.MapPost("/addenda", (Guid consultationId, AddendumInput input, HttpContext http, CancellationToken ct) =>
            Change(consultationId, http, errors => Addendum(input, errors), ct, versionRequired: false))
            .WithSummary("Doctor, after completion: a correction appended to the signed record (idempotent by addendumId).");
        app.MapGet("/api/consultations/{consultationId:guid}/fhir", OpConsult).WithTags("Health records")
            .WithSummary("OPConsultRecord FHIR document of a completed consultation (audited).");
        app.MapGet("/api/medicines", SearchMedicines).WithTags("Clinical record").RequireAuthorization(Roles.Doctor)
            .WithSummary("Doctor: search the medicine catalogue by generic name, with each medicine's TPG group and its source.");
    }

    private delegate Result<IReadOnlyList<IConsultationEvent>, ConsultationError> Decision(Consultation state, Guid by, DateTimeOffset now);

    /// <summary>
    /// The kind may be left out on a visit booked as a follow-up (see <see cref="ClinicalDecisions.Prescribe"/>).
    /// <paramref name="patient"/> is null when the caller is not the consultation's doctor (the decision refuses them).
    /// </summary>
    private static Decision? Prescription(
        PrescriptionInput input, PrescribingHistory history, PatientDetails? patient, IReadOnlyList<Telemed.Domain.Records.Allergy> allergies, FieldErrors errors)
    {
        var lines = MedicineRules.Lines(input.Medicines, MedicineCatalogue.Seeded, errors);
        var overrides = SafetyChecks.Overrides(input.Overrides, errors);
        var adult = input.AccompaniedBy is { } named ? AccompanyingAdult.Parse(named.Name, named.Relation, errors) : null;
        var safety = new PrescribingSafety(patient?.AgeYears ?? 0, patient?.Sex ?? Sex.Unknown, allergies, overrides, adult);
        return errors.Any ? null : (state, by, now) => ClinicalDecisions.Prescribe(state, by, input.Kind, lines!, history, safety, now);
    }

    private static Result<PregnancyStatus, Invalid> Pregnancy(string? raw) => raw?.Trim() switch
    {
        "notPregnant" => PregnancyStatus.NotPregnant,
        "pregnant" => PregnancyStatus.Pregnant,
        "breastfeeding" => PregnancyStatus.Breastfeeding,
        _ => new Invalid("Status must be notPregnant, pregnant or breastfeeding."),
    };

    private static Decision? Addendum(AddendumInput input, FieldErrors errors)
    {
        var text = ClinicalRules.Text(input.Text, "text", ClinicalRules.MaxNoteLength, errors);
        if (text is null && !errors.Any)
        {
            errors.Add("text", "An addendum needs text.");
        }
        if (input.AddendumId is null || input.AddendumId == Guid.Empty)
        {
            errors.Add("addendumId", "Send a client-chosen addendumId so a retried request is recorded once.");
        }
        return errors.Any ? null : (state, by, now) => ClinicalDecisions.AddAddendum(state, by, input.AddendumId!.Value, text!, now);
    }

    private static async Task<IResult> Get(
        Guid consultationId, HttpContext http, ConsultationService consultations, AuditTrail audit, HealthRecords records, CancellationToken cancellationToken)
    {
        var consultation = await consultations.Load(consultationId, cancellationToken);
        if (consultation is null)
        {
            return Problems.NotFound("There is no such consultation.");
        }
        var caller = http.User.AccountId();
        if (caller != consultation.DoctorId && caller != consultation.PatientId)
        {
            await audit.Refused(caller, $"consultation/{consultationId}/record", "read clinical record", cancellationToken);
            return Problems.Forbidden("Only the consultation's doctor and patient see its clinical record.");
        }
        // Its doctor and patient always may; the call only writes the read to the patient's access log.
        await records.Open(http.User.ActorId(), consultation.PatientId, consultation.DoctorId, $"consultation/{consultationId}/record", cancellationToken);
        StreamVersions.SetETag(http, consultation.Record.Version);
        return TypedResults.Ok(ClinicalRecordView.Of(consultation));
    }

    private static async Task<IResult> Change(Guid consultationId, HttpContext http, Func<FieldErrors, Decision?> parse, CancellationToken cancellationToken,
        bool versionRequired = true)
    {
        var errors = new FieldErrors();
        var decide = parse(errors);
        if (decide is null)
        {
            return Problems.Invalid(errors);
        }
        var version = StreamVersions.IfMatch(http);
        if (version == StreamVersions.Invalid || (versionRequired && version is null))
        {
            return TypedResults.Problem("Send If-Match with the ETag of the record you edited, e.g. \"7\".",
                statusCode: StatusCodes.Status428PreconditionRequired, title: "If-Match required");
        }
        var caller = http.User.AccountId();
        var consultations = http.RequestServices.GetRequiredService<ConsultationService>();
        var outcome = await consultations.Execute(consultationId, (state, now) => decide(state, caller, now), cancellationToken, version, c => c.Record.Version);
        if (outcome.IsSuccess)
        {
            StreamVersions.SetETag(http, outcome.Value.State.Record.Version);
            return TypedResults.Ok(ClinicalRecordView.Of(outcome.Value.State));
        }
        if (outcome.Error == ConsultationError.NotTheDoctor)
        {
            await http.RequestServices.GetRequiredService<AuditTrail>().Refused(caller, $"consultation/{consultationId}/record", "change clinical record", cancellationToken);
        }
        var extensions = new Dictionary<string, object?> { ["code"] = outcome.Error.Code };
        if (outcome.Error.Warnings is { } warnings)
        {
            extensions["warnings"] = warnings;
        }
        return TypedResults.Problem(outcome.Error.Message, title: outcome.Error.Code, extensions: extensions,
            statusCode: outcome.Error.Code switch
            {
                "ConsultationNotFound" => StatusCodes.Status404NotFound,
                "KindRequired" => StatusCodes.Status400BadRequest,
                "NotTheDoctor" => StatusCodes.Status403Forbidden,
                "StaleVersion" => StatusCodes.Status412PreconditionFailed,
                "NotAllowedByTpg" or "FollowUpNotProved" or "SafetyWarnings" or "AccompanyingAdultRequired" => StatusCodes.Status422UnprocessableEntity,
                _ => StatusCodes.Status409Conflict,
            });
    }

    private static IResult SearchMedicines(string? search, int? limit)
    {
        if (string.IsNullOrWhiteSpace(search) || search.Trim().Length < 2)
        {
            return Problems.Invalid("search", "Type at least 2 letters of the generic name.");
        }
        return TypedResults.Ok(MedicineCatalogue.Seeded.Search(search, Math.Clamp(limit ?? 20, 1, 100)));
    }

    private static async Task<IResult> OpConsult(
        Guid consultationId, ClaimsPrincipal user, ConsultationService consultations, IQuerySession db, HealthRecords records, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var consultation = await consultations.Load(consultationId, cancellationToken);
        if (consultation is null)
        {
            return HealthRecords.NoAccess();
        }
        if (await records.Open(user.ActorId(), consultation.PatientId, consultation.DoctorId, $"consultation/{consultationId}/fhir", cancellationToken) is null)
        {
            return HealthRecords.NoAccess();
        }
        if (consultation.Status != ConsultationStatus.Completed)
        {
            return Problems.Conflict("The consultation is not completed yet: its record is still being written.");
        }
        var parties = await ClinicalParties.Load(db, consultation, time.GetUtcNow(), cancellationToken);
        var bundle = FhirDocuments.OpConsultRecord(consultation, parties.Facility, parties.Spoke, parties.Doctor, parties.Patient, parties.PatientContact,
            consultation.EndedAt!.Value, await AllergyEndpoints.AsOf(db, consultation.PatientId, consultation.EndedAt!.Value, cancellationToken));
        return TypedResults.Text(FhirDocuments.ToJson(bundle), FhirDocuments.MediaType);
    }
}
