namespace Telemed.Domain.Consultations;

/// <summary>
/// TPG 2020: a first consult (new patient, new condition, or more than six months since the last visit) or a follow-up
/// of the same condition with the same doctor, proved from the patient's history (<see cref="Prescriptions.PrescribingHistory"/>).
/// It decides which medicine lists may be prescribed.
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
public sealed record Vitals(int? SystolicMmHg, int? DiastolicMmHg, int? PulsePerMinute, decimal? TemperatureCelsius, int? SpO2Percent, decimal? WeightKg)
{
    /// <summary>What was measured, on one line: "BP 128/82 mmHg · pulse 88/min · temperature 38.4 °C · SpO2 97% · weight 61.5 kg".</summary>
    public string Summary() => string.Join(" · ", new[]
    {
        SystolicMmHg is { } systolic && DiastolicMmHg is { } diastolic ? Invariant($"BP {systolic}/{diastolic} mmHg") : null,
        PulsePerMinute is { } pulse ? Invariant($"pulse {pulse}/min") : null,
        TemperatureCelsius is { } temperature ? Invariant($"temperature {temperature} °C") : null,
        SpO2Percent is { } spO2 ? Invariant($"SpO2 {spO2}%") : null,
        WeightKg is { } weight ? Invariant($"weight {weight} kg") : null,
    }.OfType<string>());

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}

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

/// <summary>One medicine line as the doctor enters it; <see cref="Purpose"/> is start (the default), refill or addOn.</summary>
public sealed record MedicineInput(
    string? Generic,
    string? Strength,
    string? Form,
    DoseInput? Dose,
    string? Route,
    int? DurationDays,
    int? Quantity,
    string? Instructions,
    string? Purpose = null);

/// <summary>
/// A line's dose as the doctor enters it (<see cref="Prescriptions.DoseSchedule"/>): <see cref="Regimen"/> is daily (the
/// default), alternateDays, weekly (on <see cref="Weekday"/>), asNeeded or once; a scheduled regimen gives the amount for each
/// time of day (0 or absent when not taken), as needed and once give <see cref="Amount"/>, as needed also
/// <see cref="MaxPerDay"/> and optionally <see cref="MinHoursBetween"/>.
/// </summary>
public sealed record DoseInput(
    decimal? Morning = null,
    decimal? Afternoon = null,
    decimal? Evening = null,
    decimal? Night = null,
    string? Unit = null,
    string? Regimen = null,
    string? Weekday = null,
    decimal? Amount = null,
    int? MaxPerDay = null,
    int? MinHoursBetween = null);
