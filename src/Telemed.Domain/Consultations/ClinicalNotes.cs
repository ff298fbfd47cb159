namespace Telemed.Domain.Consultations;

/// <summary>
/// TPG 2020: a first consult (new patient, new condition, or more than six months since the last visit) or a follow-up
/// of the same condition. It decides which medicine lists may be prescribed.
/// </summary>
public enum ConsultKind
{
    FirstConsult,
    FollowUp,
}

/// <summary>How the doctor actually saw the patient, which TPG 2020 ties medicine lists to.</summary>
public enum ConsultationMedium
{
    Video,
    AudioOnly,
    Chat,
}

/// <summary>A measured value with the unit the client measured it in.</summary>
public sealed record Measurement(decimal Value, string? Unit);

/// <summary>Vitals as the doctor enters them; each with its unit, all optional.</summary>
public sealed record VitalsInput(
    Measurement? Systolic,
    Measurement? Diastolic,
    Measurement? Pulse,
    Measurement? Temperature,
    Measurement? SpO2,
    Measurement? Weight);

/// <summary>Vitals in canonical units (mmHg, /min, °C, %, kg), checked to be plausible.</summary>
public sealed record Vitals(int? SystolicMmHg, int? DiastolicMmHg, int? PulsePerMinute, decimal? TemperatureCelsius, int? SpO2Percent, decimal? WeightKg);

public sealed record ClinicalNotes(
    string? ChiefComplaints,
    string? History,
    string? Examination,
    string? InvestigationsAdvised,
    string? Advice,
    DateOnly? FollowUpOn);

/// <summary>A coded concept: <see cref="ClinicalRules.Icd10"/> or <see cref="ClinicalRules.Snomed"/>.</summary>
public sealed record CodedConcept(string System, string Code);

public sealed record Diagnosis(string Text, CodedConcept? Code);

/// <summary>One medicine line as the doctor enters it.</summary>
public sealed record MedicineInput(
    string? Generic,
    string? Strength,
    string? Form,
    string? Dose,
    string? Frequency,
    string? Route,
    int? DurationDays,
    int? Quantity,
    string? Instructions,
    bool Refill = false);
