using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;

namespace Telemed.Domain.Prescriptions;

/// <summary>A facility as a prescription names it; <see cref="Address"/> is where to reach it (district, state).</summary>
public sealed record FacilityDetails(Guid Id, string Name, string HfrId, string? Address = null);

/// <summary>The prescribing doctor; <see cref="Email"/> is the contact TPG 2020 asks a prescription to give.</summary>
public sealed record PrescriberDetails(Guid Id, string Name, string Qualification, string RegistrationNumber, string StateCouncil, string HprId, string? Email = null);

public sealed record PatientDetails(Guid Id, string Name, int AgeYears, Sex Sex, string? AbhaNumber, string? AbhaAddress);

/// <summary>
/// What the doctor signs: everything TPG 2020 asks of a prescription — the vitals and examination findings the
/// medicines rest on among it — and nothing that changes afterwards. Numbers are whole (canonical JSON then has one
/// spelling for each value): the vitals are signed as the line printed (<see cref="Consultations.Vitals.Summary"/>).
/// </summary>
public sealed record PrescriptionContent(
    Guid PrescriptionId,
    Guid ConsultationId,
    DateTimeOffset IssuedAt,
    DateOnly ValidUntil,
    ConsultKind Kind,
    ConsultationMedium Medium,
    FacilityDetails Facility,
    PrescriberDetails Doctor,
    PatientDetails Patient,
    string? ChiefComplaints,
    Diagnosis Diagnosis,
    IReadOnlyList<PrescribedMedicine> Medicines,
    string? InvestigationsAdvised,
    string? Advice,
    DateOnly? FollowUpOn,
    PrescriptionHealthWorker? AssistedBy = null,
    string? Vitals = null,
    string? Examination = null,
    Queue.AccompanyingAdult? AccompaniedBy = null);

/// <summary>The health worker who brought the patient to the consultation, in their cadre, at their spoke.</summary>
public sealed record PrescriptionHealthWorker(Guid Id, string Name, Spokes.Cadre Cadre, FacilityDetails Spoke);

/// <summary>Composes the prescription of a consultation at the moment it completes.</summary>
public static class PrescriptionRules
{
    public const int DefaultValidityDays = 30;

    /// <summary>
    /// The content to sign, or why it cannot be issued. A consultation without medicines has no prescription (null).
    /// An assisted consultation's prescription names the health worker who brought the patient, at <paramref name="spoke"/>.
    /// TPG 2020 is checked again against <paramref name="history"/>: the diagnosis may have changed since the medicines were written;
    /// so are the safety checks, against the patient's <paramref name="allergies"/> now and the overrides recorded with the medicines.
    /// A minor's prescription names the adult who came with them.
    /// </summary>
    public static Result<PrescriptionContent?, ConsultationError> Compose(
        Consultation consultation,
        Guid prescriptionId,
        FacilityDetails facility,
        PrescriberDetails doctor,
        PatientDetails patient,
        DateTimeOffset now,
        int validityDays = DefaultValidityDays,
        FacilityDetails? spoke = null,
        PrescribingHistory? history = null,
        IReadOnlyList<Records.Allergy>? allergies = null)
    {
        var record = consultation.Record;
        if (record.Medicines.IsEmpty)
        {
            return (PrescriptionContent?)null;
        }
        if (record.Diagnosis is null)
        {
            return new ConsultationError("DiagnosisMissing", "Record a provisional diagnosis before completing a consultation with a prescription.");
        }
        if (string.IsNullOrWhiteSpace(doctor.RegistrationNumber) || string.IsNullOrWhiteSpace(doctor.StateCouncil))
        {
            return new ConsultationError("RegistrationMissing", "The doctor's registration number and state council must be on record to prescribe.");
        }
        if (patient.Sex == Sex.Unknown || patient.AgeYears is < 0 or > 130)
        {
            return new ConsultationError("PatientDetailsMissing", "The patient's age and sex must be recorded to prescribe.");
        }
        if (ClinicalDecisions.TpgRefusal(consultation, record.Kind, record.Medicines, history ?? PrescribingHistory.None, now) is { } refused)
        {
            return refused;
        }
        var safety = new PrescribingSafety(patient.AgeYears, patient.Sex, allergies ?? [], record.Overrides, record.AccompaniedBy);
        var checkedSafety = ClinicalDecisions.SafetyRefusal(consultation, record.Medicines, safety);
        if (!checkedSafety.IsSuccess)
        {
            return checkedSafety.Error;
        }
        return new PrescriptionContent(prescriptionId, consultation.Id, now, IndianTime.Day(now).AddDays(validityDays),
            record.Kind, consultation.Medium, facility, doctor, patient, record.Notes?.ChiefComplaints, record.Diagnosis, record.Medicines,
            record.Notes?.InvestigationsAdvised, record.Notes?.Advice, record.Notes?.FollowUpOn,
            consultation is { HealthWorkerId: { } healthWorkerId, HealthWorker: { } assisting } && spoke is not null
                ? new PrescriptionHealthWorker(healthWorkerId, assisting.Name, assisting.Cadre, spoke)
                : null,
            record.Vitals?.Summary() is { Length: > 0 } vitals ? vitals : null, record.Notes?.Examination,
            patient.AgeYears < Identity.Family.AdultAge ? record.AccompaniedBy ?? consultation.AccompaniedBy : null);
    }

    /// <summary>Age in whole years on a date; from the year alone when the date of birth is not known.</summary>
    public static int AgeOn(DateOnly today, int yearOfBirth, DateOnly? dateOfBirth) =>
        dateOfBirth is { } born
            ? today.Year - born.Year - (today < born.AddYears(today.Year - born.Year) ? 1 : 0)
            : today.Year - yearOfBirth;
}
