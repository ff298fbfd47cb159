using Telemed.Domain.Prescriptions;

namespace Telemed.Domain.Consultations;

/// <summary>
/// What the doctor records in a consultation. Inputs arrive already checked (<see cref="ClinicalRules"/>,
/// <see cref="MedicineRules.Lines"/>); these decide whether they may be recorded now, by this person.
/// The record is editable until the consultation ends; afterwards only addenda are added.
/// </summary>
public static class ClinicalDecisions
{
    private static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> Events(params IConsultationEvent[] events) => events;

    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> RecordVitals(Consultation consultation, Guid by, Vitals vitals, DateTimeOffset now) =>
        Editable(consultation, by) is { } refused ? refused : Events(new VitalsRecorded(consultation.Id, vitals, by, now));

    /// <summary>
    /// A device reading, sent by a participant's browser (<paramref name="byRegisteredDevice"/> false: the sender must be
    /// the doctor, the patient or invited staff) or by a kiosk device whose facility the caller has checked. A reading
    /// already recorded from the same device is not recorded again.
    /// </summary>
    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> RecordDeviceReading(
        Consultation consultation, Guid by, bool byRegisteredDevice, DeviceObservation observation, DateTimeOffset now)
    {
        if (!byRegisteredDevice && consultation.RoleOf(by) is null)
        {
            return ConsultationError.NotParticipant;
        }
        if (consultation.Status != ConsultationStatus.Open)
        {
            return ConsultationError.Ended;
        }
        if (SameReading(consultation, by, observation) is { } earlier)
        {
            var same = earlier.Observation;
            return same.Vitals == observation.Vitals && same.GlucoseMgPerDl == observation.GlucoseMgPerDl && same.MeasuredAt == observation.MeasuredAt
                && same.Status.SequenceEqual(observation.Status)
                ? Array.Empty<IConsultationEvent>()
                : ConsultationError.ReadingIdReused;
        }
        return Events(new DeviceVitalsRecorded(consultation.Id, observation, by, now));
    }

    /// <summary>The reading recorded earlier from the same device (or the same browser account) under the same identifier.</summary>
    public static DeviceVitalsRecorded? SameReading(Consultation consultation, Guid by, DeviceObservation observation) =>
        consultation.DeviceReadings.FirstOrDefault(r => r.Observation.ReadingId == observation.ReadingId
            && (r.Observation.Device.DeviceId ?? r.By) == (observation.Device.DeviceId ?? by));

    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> RecordNotes(Consultation consultation, Guid by, ClinicalNotes notes, DateTimeOffset now) =>
        Editable(consultation, by) is { } refused ? refused : Events(new NotesRecorded(consultation.Id, notes, by, now));

    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> RecordDiagnosis(Consultation consultation, Guid by, Diagnosis diagnosis, DateTimeOffset now) =>
        Editable(consultation, by) is { } refused ? refused : Events(new DiagnosisRecorded(consultation.Id, diagnosis, by, now));

    /// <summary>Whether the patient is pregnant or breastfeeding, as the doctor asked them.</summary>
    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> RecordPregnancy(Consultation consultation, Guid by, PregnancyStatus status, DateTimeOffset now) =>
        Editable(consultation, by) is { } refused ? refused : Events(new PregnancyStatusRecorded(consultation.Id, status, by, now));

    /// <summary>
    /// Replaces the prescription being written. Every line must be allowed by TPG 2020 for how the patient is being seen.
    /// The doctor says whether it is a first consult or a follow-up; a visit booked as the follow-up of this doctor's
    /// prescription is a follow-up unless the doctor says otherwise (a new condition). A follow-up must be proved by
    /// <paramref name="history"/>. Then the safety checks (<see cref="SafetyRefusal"/>): each warning needs one of
    /// <paramref name="safety"/>'s overrides, and a minor's prescription an accompanying adult.
    /// </summary>
    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> Prescribe(
        Consultation consultation, Guid by, ConsultKind? declared, IReadOnlyList<PrescribedMedicine> medicines, PrescribingHistory history,
        PrescribingSafety safety, DateTimeOffset now)
    {
        if (Editable(consultation, by) is { } refused)
        {
            return refused;
        }
        if ((declared ?? (consultation.FollowUpOf is null ? null : ConsultKind.FollowUp)) is not { } kind)
        {
            return ConsultationError.KindRequired;
        }
        if (TpgRefusal(consultation, kind, medicines, history, now) is { } notAllowed)
        {
            return notAllowed;
        }
        var checkedSafety = SafetyRefusal(consultation, medicines, safety);
        return checkedSafety.IsSuccess
            ? Events(new MedicinesPrescribed(consultation.Id, kind, medicines, by, now, checkedSafety.Value, safety.AccompaniedBy))
            : checkedSafety.Error;
    }

    /// <summary>
    /// The safety checks of <paramref name="medicines"/> for this patient in this consultation (its pregnancy status and
    /// weight): the overrides that answer the warnings, or why the prescription cannot stand — warnings without an
    /// override (listed in <see cref="ConsultationError.Warnings"/>), or a minor with no accompanying adult, neither from
    /// the check-in nor named by the doctor.
    /// </summary>
    public static Result<IReadOnlyList<SafetyOverride>, ConsultationError> SafetyRefusal(
        Consultation consultation, IReadOnlyList<PrescribedMedicine> medicines, PrescribingSafety safety)
    {
        if (safety.AgeYears < Identity.Family.AdultAge && (safety.AccompaniedBy ?? consultation.AccompaniedBy) is null)
        {
            return new ConsultationError("AccompanyingAdultRequired",
                $"The patient is under {Identity.Family.AdultAge}: a minor's prescription names the adult who came with them. Give their name and relation.");
        }
        var facts = new PatientSafetyFacts(safety.AgeYears, safety.Sex, consultation.Record.Pregnancy, consultation.Record.Vitals?.WeightKg, safety.Allergies);
        var (overrides, unanswered) = SafetyChecks.Answer(SafetyChecks.Check(medicines, facts), safety.Overrides);
        return unanswered.Count == 0
            ? Result<IReadOnlyList<SafetyOverride>, ConsultationError>.Success(overrides)
            : new ConsultationError("SafetyWarnings", SafetyChecks.Explain(unanswered)) { Warnings = unanswered };
    }

    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> AddAddendum(
        Consultation consultation, Guid by, Guid addendumId, string text, DateTimeOffset now)
    {
        if (by != consultation.DoctorId)
        {
            return ConsultationError.NotTheDoctor;
        }
        if (consultation.Status == ConsultationStatus.Open)
        {
            return new ConsultationError("RecordStillOpen", "The consultation is still open: edit its notes instead of adding an addendum.");
        }
        return consultation.Record.Addenda.Any(a => a.Id == addendumId)
            ? Array.Empty<IConsultationEvent>()
            : Events(new AddendumRecorded(consultation.Id, addendumId, text, by, now));
    }

    /// <summary>
    /// Why TPG 2020 does not allow the prescription: a follow-up the history does not prove, or every line refused (one
    /// sentence each); null when it is allowed.
    /// </summary>
    public static ConsultationError? TpgRefusal(
        Consultation consultation, ConsultKind kind, IReadOnlyList<PrescribedMedicine> medicines, PrescribingHistory history, DateTimeOffset now)
    {
        var diagnosis = consultation.Record.Diagnosis;
        EarlierVisit? followUpOf = null;
        if (kind == ConsultKind.FollowUp && (followUpOf = history.FollowUpProof(consultation.DoctorId, diagnosis, now)) is null)
        {
            return new ConsultationError("FollowUpNotProved", diagnosis is null
                ? "Record the diagnosis first: a follow-up is proved by an earlier consultation for the same condition."
                : $"This is not a follow-up under TPG 2020: the patient has no consultation with you for '{diagnosis.Text}' in the last "
                    + $"{PrescribingHistory.FollowUpWithinMonths} months. Prescribe it as a first consult.");
        }
        var refusals = medicines
            .Select((line, i) => MedicineRules.Refusal(line, consultation.Medium, followUpOf, diagnosis, history) is { } why ? $"Line {i + 1}: {why}" : null)
            .OfType<string>()
            .ToList();
        return refusals.Count == 0 ? null : new ConsultationError("NotAllowedByTpg", string.Join(" ", refusals));
    }

    private static ConsultationError? Editable(Consultation consultation, Guid by) =>
        by != consultation.DoctorId ? ConsultationError.NotTheDoctor
        : consultation.Status != ConsultationStatus.Open ? ConsultationError.RecordLocked
        : null;
}
