using Telemed.Domain.Consultations;

namespace Telemed.Server.Records;

/// <summary>
/// One consultation as an entry in the patient's health record (ABDM's "care context"), written in the same
/// transaction as the consultation events it summarises, so the list never disagrees with the streams. A completed
/// one keeps its diagnosis and the generics prescribed: the patient's prescribing history (TPG 2020's follow-up and refill).
/// </summary>
public sealed record CareContext(
    Guid Id,
    Guid PatientId,
    Guid DoctorId,
    Guid SessionId,
    DateTimeOffset StartedAt,
    ConsultationStatus Status,
    DateTimeOffset? EndedAt,
    Guid? PrescriptionId,
    Diagnosis? Diagnosis = null,
    IReadOnlyList<string>? Medicines = null);

/// <summary>The patient's consent for one doctor, keyed "patientId:doctorId".</summary>
public sealed record ConsentDocument(string Id, Domain.Records.RecordConsent Consent)
{
    public static string Key(Guid patientId, Guid doctorId) => $"{patientId:N}:{doctorId:N}";
}

// The patient's own account stream records who read their records and whom they let do so.
/// <summary>A read on the patient's access log; <see cref="Reason"/> is the one given for emergency access.</summary>
public sealed record RecordRead(Guid PatientId, Guid ReaderId, string Basis, string Resource, DateTimeOffset At, string? Reason = null);

/// <summary>
/// One read of several patients' records at once (a queue's names and complaints), on the reader's stream: it is on the
/// access log of each of <see cref="PatientIds"/>, at the cost of one event however long the queue.
/// </summary>
public sealed record RecordsRead(Guid ReaderId, string Action, string Basis, string Resource, Guid[] PatientIds, DateTimeOffset At, string? Reason = null);

/// <summary>
/// Documents of one care context (the consultation) sent to a health information user through ABDM under the patient's
/// consent artefact, on the patient's access log: the HIU, the artefact and its purpose, and the types of health
/// information the HIU took.
/// </summary>
public sealed record RecordsShared(
    Guid PatientId, Guid ConsultationId, string ConsentId, string? HiuId, string? HiuName, string PurposeCode, string? PurposeText,
    IReadOnlyList<string> HiTypes, string TransactionId, DateTimeOffset At);

public sealed record RecordConsentGranted(Guid PatientId, Guid DoctorId, DateTimeOffset Until, DateTimeOffset At);

public sealed record RecordConsentRevoked(Guid PatientId, Guid DoctorId, DateTimeOffset At);
