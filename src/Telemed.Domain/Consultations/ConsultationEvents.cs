namespace Telemed.Domain.Consultations;

public interface IConsultationEvent
{
    Guid ConsultationId { get; }

    DateTimeOffset At { get; }
}

public enum CallMode
{
    Video,
    AudioOnly,
}

public enum ParticipantRole
{
    Doctor,
    Patient,
    Staff,

    /// <summary>The spoke's health worker, sitting with the patient on one device.</summary>
    HealthWorker,

    /// <summary>A family member or an interpreter the patient's side let in with a one-time link: in the call, never in the record.</summary>
    Guest,
}

/// <remarks>
/// <paramref name="FollowUpOf"/>: the prescription of this doctor that asked for this visit, when the patient booked it as that follow-up.
/// <paramref name="HealthWorkerId"/>: the spoke's health worker who checked the patient in and joins the call with them;
/// <paramref name="HealthWorker"/>: who they are and where, as the check-in named them.
/// <paramref name="AccompaniedBy"/>: the adult the check-in named as coming with the patient (always, for a minor).
/// </remarks>
public sealed record ConsultationStarted(
    Guid ConsultationId, Guid SessionId, int Token, Guid DoctorId, Guid PatientId, DateTimeOffset At, Guid? FollowUpOf = null, Guid? HealthWorkerId = null,
    AssistingHealthWorker? HealthWorker = null, Queue.AccompanyingAdult? AccompaniedBy = null)
    : IConsultationEvent;

/// <summary>The spoke's health worker in the room with the patient: their name and cadre, and the spoke they brought the patient in at.</summary>
public sealed record AssistingHealthWorker(string Name, Spokes.Cadre Cadre, Guid SpokeId, string SpokeName);

public sealed record StaffInvited(Guid ConsultationId, Guid StaffId, Guid InvitedBy, DateTimeOffset At) : IConsultationEvent;

/// <summary>The patient's side (<paramref name="InvitedBy"/>) let a named guest into the call, with a link that admits once until <paramref name="ExpiresAt"/>.</summary>
public sealed record GuestInvited(
    Guid ConsultationId, Guid GuestId, string Name, GuestRelation Relation, Guid InvitedBy, DateTimeOffset At, DateTimeOffset ExpiresAt) : IConsultationEvent;

/// <summary>The guest opened their link: it admits no one again.</summary>
public sealed record GuestAdmitted(Guid ConsultationId, Guid GuestId, DateTimeOffset At) : IConsultationEvent;

public sealed record ParticipantJoined(Guid ConsultationId, Guid AccountId, ParticipantRole Role, DateTimeOffset At) : IConsultationEvent;

public sealed record ParticipantLeft(Guid ConsultationId, Guid AccountId, string Reason, DateTimeOffset At) : IConsultationEvent;

public sealed record CallConnected(Guid ConsultationId, Guid ReportedBy, DateTimeOffset At) : IConsultationEvent;

public sealed record CallModeChanged(Guid ConsultationId, CallMode Mode, Guid By, DateTimeOffset At) : IConsultationEvent;

/// <summary>
/// The patient's camera turned on or off, as the patient's side of the call reported it: the patient, or the health
/// worker whose device they share. TPG 2020's "seen on video" is a connected video call with this camera on.
/// </summary>
public sealed record PatientCameraReported(Guid ConsultationId, bool On, Guid By, DateTimeOffset At) : IConsultationEvent;

public sealed record ChatMessagePosted(Guid ConsultationId, Guid MessageId, Guid SenderId, string Text, DateTimeOffset At) : IConsultationEvent;

/// <summary>A file or photo a participant shared during the call; the file itself is stored beside the stream.</summary>
public sealed record FileShared(Guid ConsultationId, Guid FileId, Guid SharedBy, string FileName, string ContentType, long Size, DateTimeOffset At)
    : IConsultationEvent;

public sealed record ChatMessageRead(Guid ConsultationId, Guid MessageId, Guid ReaderId, DateTimeOffset At) : IConsultationEvent;

public sealed record ConsultationCompleted(Guid ConsultationId, Guid DoctorId, DateTimeOffset At) : IConsultationEvent;

public sealed record ConsultationAbandoned(Guid ConsultationId, string Reason, DateTimeOffset At) : IConsultationEvent;

public sealed record VitalsRecorded(Guid ConsultationId, Vitals Vitals, Guid By, DateTimeOffset At) : IConsultationEvent;

public sealed record NotesRecorded(Guid ConsultationId, ClinicalNotes Notes, Guid By, DateTimeOffset At) : IConsultationEvent;

public sealed record DiagnosisRecorded(Guid ConsultationId, Diagnosis Diagnosis, Guid By, DateTimeOffset At) : IConsultationEvent;

/// <summary>
/// The prescription being written: replaced as a whole on each edit, signed when the consultation completes.
/// <paramref name="Overrides"/>: the safety warnings the doctor prescribed despite, each with the reason and the warning shown;
/// <paramref name="AccompaniedBy"/>: the adult a minor's prescription names, when the doctor named one.
/// </summary>
public sealed record MedicinesPrescribed(
    Guid ConsultationId, ConsultKind Kind, IReadOnlyList<Prescriptions.PrescribedMedicine> Medicines, Guid By, DateTimeOffset At,
    IReadOnlyList<Prescriptions.SafetyOverride>? Overrides = null, Queue.AccompanyingAdult? AccompaniedBy = null)
    : IConsultationEvent;

/// <summary>Whether the patient is pregnant or breastfeeding, as the doctor asked: part of the record, checked at prescribing.</summary>
public sealed record PregnancyStatusRecorded(Guid ConsultationId, Prescriptions.PregnancyStatus Status, Guid By, DateTimeOffset At) : IConsultationEvent;

/// <summary>A correction after completion: the record itself stays as it was signed.</summary>
public sealed record AddendumRecorded(Guid ConsultationId, Guid AddendumId, string Text, Guid By, DateTimeOffset At) : IConsultationEvent;

public sealed record PrescriptionIssued(Guid ConsultationId, Guid PrescriptionId, DateTimeOffset At) : IConsultationEvent;

/// <summary>Who measured a device-derived observation: a registered kiosk device (its id) or a Bluetooth device read in a participant's browser.</summary>
public sealed record DeviceSource(Guid? DeviceId, string Name, string? Characteristic);

/// <summary>
/// Vitals a medical device measured, already checked as typed vitals are. <see cref="ReadingId"/> is the device's own
/// identifier of the reading: the same reading sent twice is recorded once.
/// </summary>
public sealed record DeviceObservation(
    string ReadingId, DeviceSource Device, Vitals? Vitals, decimal? GlucoseMgPerDl, DateTimeOffset? MeasuredAt, IReadOnlyList<string> Status);

/// <summary>A device reading taken during the call; kept beside the doctor's own record, which it does not overwrite.</summary>
public sealed record DeviceVitalsRecorded(Guid ConsultationId, DeviceObservation Observation, Guid By, DateTimeOffset At) : IConsultationEvent;
