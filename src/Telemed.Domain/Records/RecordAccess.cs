namespace Telemed.Domain.Records;

/// <summary>A patient's permission for one doctor to read their records until a time.</summary>
public sealed record RecordConsent(Guid PatientId, Guid DoctorId, DateTimeOffset GrantedAt, DateTimeOffset Until, DateTimeOffset? RevokedAt)
{
    public bool ActiveAt(DateTimeOffset now) => RevokedAt is null && now < Until;
}

public enum RecordAccessBasis
{
    Self,
    Author,
    InConsultation,
    Consent,

    /// <summary>Staff of the OPD session the patient checked in to (their check-in attachments).</summary>
    SessionStaff,

    /// <summary>A participant of the consultation (its history).</summary>
    Participant,

    /// <summary>The guardian of a dependant (a child, an elderly parent), who holds the family's sign-in.</summary>
    Guardian,

    /// <summary>A pharmacist checking or dispensing a prescription (its medicines, prescriber and the patient's name and age).</summary>
    Dispensing,

    /// <summary>An administrator handling the consultation fee (the payment and its receipt).</summary>
    Billing,

    /// <summary>A spoke's health worker for a patient they brought in there (finding them, checking them in).</summary>
    HealthWorker,

    /// <summary>An administrator's emergency access to the OPD session (<see cref="EmergencyAccess"/>), with its reason.</summary>
    EmergencyAccess,

    /// <summary>
    /// A doctor's records of the patient fetched from another provider through ABDM under the patient's consent (Telemed as
    /// HIU): each document as it arrives, and each time the doctor views them.
    /// </summary>
    AbdmFetch,
}

/// <summary>
/// Who may read a patient's health records: the patient; their guardian, when the patient is a dependant; the doctor who
/// wrote a record (that record only); a doctor while that patient is in their open consultation; a doctor the patient has
/// consented to, until the consent ends. Nobody else.
/// </summary>
public static class RecordAccess
{
    public const int MaxConsentDays = 90;

    public static RecordAccessBasis? Basis(
        Guid readerId, Guid patientId, Guid? authorId, bool readerInOpenConsultationWithPatient, RecordConsent? consent, DateTimeOffset now,
        Guid? guardianOfPatient = null) =>
        readerId == patientId ? RecordAccessBasis.Self
        : Identity.Family.MayActFor(readerId, patientId, guardianOfPatient) ? RecordAccessBasis.Guardian
        : readerId == authorId ? RecordAccessBasis.Author
        : readerInOpenConsultationWithPatient ? RecordAccessBasis.InConsultation
        : consent is not null && consent.PatientId == patientId && consent.DoctorId == readerId && consent.ActiveAt(now) ? RecordAccessBasis.Consent
        : null;

    public static Result<RecordConsent, Invalid> Grant(Guid patientId, Guid doctorId, int? days, DateTimeOffset now) =>
        days is >= 1 and <= MaxConsentDays
            ? new RecordConsent(patientId, doctorId, now, now.AddDays(days.Value), null)
            : new Invalid($"Consent lasts 1 to {MaxConsentDays} days.");
}
