using System.Collections.Immutable;
using Telemed.Domain.Prescriptions;

namespace Telemed.Domain.Consultations;

public enum ConsultationStatus
{
    Open,
    Completed,
    Abandoned,
}

/// <summary>
/// One consultation (one called token): who may be in its room, who is, how the call runs, what was said.
/// Built only from its events.
/// </summary>
public sealed record Consultation(
    Guid Id,
    long Version,
    Guid SessionId,
    int Token,
    Guid DoctorId,
    Guid PatientId,
    ImmutableHashSet<Guid> Staff,
    ImmutableHashSet<Guid> Present,
    ConsultationStatus Status,
    CallMode Mode,
    bool Connected,
    ImmutableHashSet<Guid> ChatMessageIds,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    bool EverConnected,
    bool SeenOnVideo,
    ClinicalRecord Record,
    ImmutableList<DeviceVitalsRecorded> DeviceReadings)
{
    /// <summary>The prescription whose follow-up this visit is, booked with the doctor who wrote it: TPG 2020's follow-up, proved.</summary>
    public Guid? FollowUpOf { get; init; }

    /// <summary>The spoke's health worker who brought the patient in: a participant, in the room with the patient.</summary>
    public Guid? HealthWorkerId { get; init; }

    /// <summary>Who the health worker is and the spoke they work at, as the check-in named them.</summary>
    public AssistingHealthWorker? HealthWorker { get; init; }

    /// <summary>The adult the check-in named as coming with the patient.</summary>
    public Queue.AccompanyingAdult? AccompaniedBy { get; init; }

    /// <summary>The patient's feedback on the visit, once given.</summary>
    public FeedbackGiven? Feedback { get; init; }

    /// <summary>Files and photos shared during the call, in the order they were shared.</summary>
    public ImmutableList<FileShared> SharedFiles { get; init; } = [];

    /// <summary>The guests the patient's side let in (or invited: a guest is a participant once admitted).</summary>
    public ImmutableList<ConsultationGuest> Guests { get; init; } = [];

    /// <summary>Whether the patient's camera is on, as the patient's side last reported it (off until it says so).</summary>
    public bool PatientCameraOn { get; init; }

    /// <summary>
    /// Video once the call has been connected in video mode with the patient's camera on at any point: the doctor has
    /// seen the patient.
    /// </summary>
    public ConsultationMedium Medium =>
        SeenOnVideo ? ConsultationMedium.Video : EverConnected ? ConsultationMedium.AudioOnly : ConsultationMedium.Chat;

    private static bool Seeing(bool connected, CallMode mode, bool patientCamera) => connected && mode == CallMode.Video && patientCamera;

    public ParticipantRole? RoleOf(Guid accountId) =>
        accountId == DoctorId ? ParticipantRole.Doctor
        : accountId == PatientId ? ParticipantRole.Patient
        : accountId == HealthWorkerId ? ParticipantRole.HealthWorker
        : Staff.Contains(accountId) ? ParticipantRole.Staff
        : Guests.Any(g => g.Id == accountId && g.Admitted) ? ParticipantRole.Guest
        : null;

    /// <summary>The record changed: its own version moves (the call's comings and goings do not touch it).</summary>
    private Consultation Written(ClinicalRecord record) => this with { Record = record with { Version = Record.Version + 1 } };

    public static Consultation Evolve(Consultation? state, IConsultationEvent @event)
    {
        if (@event is ConsultationStarted started)
        {
            return new Consultation(started.ConsultationId, 1, started.SessionId, started.Token, started.DoctorId, started.PatientId,
                [], [], ConsultationStatus.Open, CallMode.Video, false, [], started.At, null, false, false,
                started.FollowUpOf is null ? ClinicalRecord.Empty : ClinicalRecord.Empty with { Kind = ConsultKind.FollowUp }, [])
            {
                FollowUpOf = started.FollowUpOf,
                HealthWorkerId = started.HealthWorkerId,
                HealthWorker = started.HealthWorker,
                AccompaniedBy = started.AccompaniedBy,
            };
        }
        if (state is null)
        {
            throw new InvalidOperationException($"{@event.GetType().Name} before ConsultationStarted on consultation {@event.ConsultationId}.");
        }
        var next = @event switch
        {
            StaffInvited e => state with { Staff = state.Staff.Add(e.StaffId) },
            GuestInvited e => state with { Guests = state.Guests.Add(new ConsultationGuest(e.GuestId, e.Name, e.Relation, e.InvitedBy, e.ExpiresAt, false)) },
            GuestAdmitted e => state with { Guests = state.Guests.Select(g => g.Id == e.GuestId ? g with { Admitted = true } : g).ToImmutableList() },
            ParticipantJoined e => state with { Present = state.Present.Add(e.AccountId) },
            ParticipantLeft e => state with { Present = state.Present.Remove(e.AccountId), Connected = false },
            CallConnected => state with { Connected = true, EverConnected = true, SeenOnVideo = state.SeenOnVideo || Seeing(true, state.Mode, state.PatientCameraOn) },
            CallModeChanged e => state with { Mode = e.Mode, SeenOnVideo = state.SeenOnVideo || Seeing(state.Connected, e.Mode, state.PatientCameraOn) },
            PatientCameraReported e => state with { PatientCameraOn = e.On, SeenOnVideo = state.SeenOnVideo || Seeing(state.Connected, state.Mode, e.On) },
            ChatMessagePosted e => state with { ChatMessageIds = state.ChatMessageIds.Add(e.MessageId) },
            ChatMessageRead => state,
            FileShared e => state with { SharedFiles = state.SharedFiles.Add(e) },
            // Device readings stream in during the call: they leave the record's version alone so the doctor's edits are not made stale.
            DeviceVitalsRecorded e => state with { DeviceReadings = state.DeviceReadings.Add(e) },
            VitalsRecorded e => state.Written(state.Record with { Vitals = e.Vitals, VitalsBy = e.By }),
            NotesRecorded e => state.Written(state.Record with { Notes = e.Notes }),
            DiagnosisRecorded e => state.Written(state.Record with { Diagnosis = e.Diagnosis }),
            MedicinesPrescribed e => state.Written(state.Record with
            {
                Kind = e.Kind, Medicines = [.. e.Medicines], Overrides = [.. e.Overrides ?? []], AccompaniedBy = e.AccompaniedBy,
            }),
            PregnancyStatusRecorded e => state.Written(state.Record with { Pregnancy = e.Status }),
            AddendumRecorded e => state.Written(state.Record with { Addenda = state.Record.Addenda.Add(new Addendum(e.AddendumId, e.Text, e.By, e.At)) }),
            PrescriptionIssued e => state.Written(state.Record with { PrescriptionId = e.PrescriptionId }),
            ConsultationCompleted e => state.Written(state.Record) with { Status = ConsultationStatus.Completed, Present = [], Connected = false, EndedAt = e.At },
            ConsultationAbandoned e => state.Written(state.Record) with { Status = ConsultationStatus.Abandoned, Present = [], Connected = false, EndedAt = e.At },
            // The patient's word on the visit is not part of the doctor's record: its version stays.
            FeedbackGiven e => state with { Feedback = e },
            _ => throw new InvalidOperationException($"Unknown consultation event {@event.GetType().Name}."),
        };
        return next with { Version = state.Version + 1 };
    }
}

/// <summary>
/// What the doctor has recorded so far; each part is replaced whole when edited, until completion. <see cref="Version"/>
/// counts record changes only, so edits are guarded against each other and not against the call's joins and chat.
/// </summary>
public sealed record ClinicalRecord(
    long Version,
    Vitals? Vitals,
    ClinicalNotes? Notes,
    Diagnosis? Diagnosis,
    ConsultKind Kind,
    ImmutableList<PrescribedMedicine> Medicines,
    ImmutableList<Addendum> Addenda,
    Guid? PrescriptionId)
{
    /// <summary>Who took the vitals on record: the doctor, or the health worker who brought the patient in.</summary>
    public Guid? VitalsBy { get; init; }

    /// <summary>Whether the patient is pregnant or breastfeeding, once the doctor recorded it.</summary>
    public PregnancyStatus? Pregnancy { get; init; }

    /// <summary>The safety warnings the doctor prescribed despite, with their reasons.</summary>
    public ImmutableList<SafetyOverride> Overrides { get; init; } = [];

    /// <summary>The adult the doctor named for a minor's prescription (otherwise the check-in's <see cref="Consultation.AccompaniedBy"/>).</summary>
    public Queue.AccompanyingAdult? AccompaniedBy { get; init; }

    public static ClinicalRecord Empty { get; } = new(0, null, null, null, ConsultKind.FirstConsult, [], [], null);
}

public sealed record Addendum(Guid Id, string Text, Guid By, DateTimeOffset At);

public sealed record ConsultationError(string Code, string Message)
{
    /// <summary>The safety warnings the doctor has not overridden, when that is why (code SafetyWarnings).</summary>
    public IReadOnlyList<SafetyWarning>? Warnings { get; init; }

    public static ConsultationError NotFound { get; } = new("ConsultationNotFound", "There is no such consultation.");

    public static ConsultationError Stale(long version) =>
        new("StaleVersion", $"The consultation changed since you loaded it (it is now at version {version}); reload it and apply your change again.");

    public static ConsultationError NotTheDoctor { get; } = new("NotTheDoctor", "Only the consulting doctor may do this.");

    public static ConsultationError KindRequired { get; } =
        new("KindRequired", "Say whether this is a firstConsult or a followUp (TPG 2020 ties the medicine lists to it).");

    public static ConsultationError RecordLocked { get; } =
        new("RecordLocked", "This consultation has ended: its record can no longer change. Add an addendum to correct it.");

    public static ConsultationError NotParticipant { get; } = new("NotParticipant", "You are not a participant of this consultation.");

    public static ConsultationError Ended { get; } = new("ConsultationEnded", "This consultation has ended.");

    public static ConsultationError NotInRoom { get; } = new("NotInRoom", "Join the consultation room first.");

    public static ConsultationError TooManyFiles { get; } =
        new("TooManyFiles", $"At most {ConsultationDecisions.MaxSharedFiles} files can be shared in one consultation.");

    public static ConsultationError ReadingIdReused { get; } =
        new("ReadingIdReused", "This device already sent a different reading with the same identifier; give each reading its own identifier.");
}

/// <summary>Room decisions. Each returns the events to record (none when nothing changes) or why it is refused.</summary>
public static class ConsultationDecisions
{
    public const int MaxChatLength = 2000;

    /// <summary>Enough for a call's reports and photos; a consultation is not a document store.</summary>
    public const int MaxSharedFiles = 20;

    private static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> Events(params IConsultationEvent[] events) => events;

    private static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> Nothing() => Array.Empty<IConsultationEvent>();

    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> Join(Consultation consultation, Guid accountId, DateTimeOffset now)
    {
        if (consultation.RoleOf(accountId) is not { } role)
        {
            return ConsultationError.NotParticipant;
        }
        if (consultation.Status != ConsultationStatus.Open)
        {
            return ConsultationError.Ended;
        }
        return consultation.Present.Contains(accountId) ? Nothing() : Events(new ParticipantJoined(consultation.Id, accountId, role, now));
    }

    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> Leave(Consultation consultation, Guid accountId, string reason, DateTimeOffset now) =>
        consultation.Present.Contains(accountId) ? Events(new ParticipantLeft(consultation.Id, accountId, reason, now)) : Nothing();

    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> Invite(Consultation consultation, Guid doctorId, Guid staffId, DateTimeOffset now)
    {
        if (doctorId != consultation.DoctorId)
        {
            return ConsultationError.NotTheDoctor;
        }
        if (consultation.Status != ConsultationStatus.Open)
        {
            return ConsultationError.Ended;
        }
        return consultation.RoleOf(staffId) is not null ? Nothing() : Events(new StaffInvited(consultation.Id, staffId, doctorId, now));
    }

    /// <summary>The doctor↔patient link connected: reported by either end; an invited colleague's or a guest's own links do not count.</summary>
    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> ReportConnected(Consultation consultation, Guid accountId, DateTimeOffset now) =>
        InRoom(consultation, accountId) ?? (consultation.Connected || consultation.RoleOf(accountId) is ParticipantRole.Staff or ParticipantRole.Guest
            ? Nothing()
            : Events(new CallConnected(consultation.Id, accountId, now)));

    /// <summary>
    /// A participant's camera state: recorded when it is the patient's side (the patient, or the health worker whose
    /// device they share) and it changed; the others' cameras are only relayed.
    /// </summary>
    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> ReportCamera(Consultation consultation, Guid accountId, bool on, DateTimeOffset now) =>
        InRoom(consultation, accountId) ?? (consultation.RoleOf(accountId) is ParticipantRole.Patient or ParticipantRole.HealthWorker && consultation.PatientCameraOn != on
            ? Events(new PatientCameraReported(consultation.Id, on, accountId, now))
            : Nothing());

    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> ChangeMode(Consultation consultation, Guid accountId, CallMode mode, DateTimeOffset now) =>
        InRoom(consultation, accountId) ?? (consultation.Mode == mode ? Nothing() : Events(new CallModeChanged(consultation.Id, mode, accountId, now)));

    /// <summary>A message id posted twice (a client retry) is recorded once.</summary>
    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> PostChat(Consultation consultation, Guid accountId, Guid messageId, string? text, DateTimeOffset now)
    {
        if (InRoom(consultation, accountId) is { } refused)
        {
            return refused;
        }
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0 || trimmed.Length > MaxChatLength)
        {
            return new ConsultationError("InvalidChat", $"A chat message has 1 to {MaxChatLength} characters.");
        }
        if (trimmed.Any(c => char.IsControl(c) && c is not ('\n' or '\t')))
        {
            return new ConsultationError("InvalidChat", "A chat message may not contain control characters.");
        }
        return consultation.ChatMessageIds.Contains(messageId) ? Nothing() : Events(new ChatMessagePosted(consultation.Id, messageId, accountId, trimmed, now));
    }

    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> MarkRead(Consultation consultation, Guid accountId, Guid messageId, DateTimeOffset now)
    {
        if (InRoom(consultation, accountId) is { } refused)
        {
            return refused;
        }
        return consultation.ChatMessageIds.Contains(messageId)
            ? Events(new ChatMessageRead(consultation.Id, messageId, accountId, now))
            : new ConsultationError("UnknownMessage", "There is no such chat message in this consultation.");
    }

    /// <summary>A file shared in the call: by someone in the room, while it is open, up to <see cref="MaxSharedFiles"/> per consultation.</summary>
    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> ShareFile(
        Consultation consultation, Guid accountId, Guid fileId, string fileName, string contentType, long size, DateTimeOffset now)
    {
        if (InRoom(consultation, accountId) is { } refused)
        {
            return refused;
        }
        return consultation.SharedFiles.Count >= MaxSharedFiles
            ? ConsultationError.TooManyFiles
            : Events(new FileShared(consultation.Id, fileId, accountId, fileName, contentType, size, now));
    }

    private static ConsultationError? InRoom(Consultation consultation, Guid accountId) =>
        consultation.RoleOf(accountId) is null ? ConsultationError.NotParticipant
        : consultation.Status != ConsultationStatus.Open ? ConsultationError.Ended
        : !consultation.Present.Contains(accountId) ? ConsultationError.NotInRoom
        : null;
}
