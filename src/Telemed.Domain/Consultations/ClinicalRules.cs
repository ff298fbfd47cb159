using System.Text.RegularExpressions;

namespace Telemed.Domain.Consultations;

/// <summary>Checks what a doctor records: units known, values plausible for a living human, text bounded.</summary>
public static partial class ClinicalRules
{
    public const string Icd10 = "icd10";
    public const string Snomed = "snomed";
    public const int MaxNoteLength = 4000;
    public const int MaxDiagnosisLength = 500;

    public static Vitals? Vitals(VitalsInput input, FieldErrors errors, string field = "vitals")
    {
        var vitals = new Vitals(
            Whole(Convert(input.Systolic, errors, $"{field}.systolic", "blood pressure", 50, 260, MmHg)),
            Whole(Convert(input.Diastolic, errors, $"{field}.diastolic", "blood pressure", 30, 160, MmHg)),
            Whole(Convert(input.Pulse, errors, $"{field}.pulse", "pulse", 25, 250, PerMinute)),
            Round(Convert(input.Temperature, errors, $"{field}.temperature", "temperature", 32, 43, Celsius), 1),
            Whole(Convert(input.SpO2, errors, $"{field}.spO2", "SpO2", 50, 100, Percent)),
            Round(Convert(input.Weight, errors, $"{field}.weight", "weight", 0.3m, 350, Kilograms), 2));
        if (vitals is { SystolicMmHg: { } systolic, DiastolicMmHg: { } diastolic } && systolic <= diastolic)
        {
            errors.Add($"{field}.diastolic", "Diastolic pressure must be below systolic pressure.");
        }
        if ((vitals.SystolicMmHg is null) != (vitals.DiastolicMmHg is null) && !errors.Any)
        {
            errors.Add($"{field}.systolic", "Blood pressure needs both systolic and diastolic values.");
        }
        if (vitals == new Vitals(null, null, null, null, null, null) && !errors.Any)
        {
            errors.Add(field, "Record at least one vital sign.");
        }
        return errors.Any ? null : vitals;
    }

    /// <summary>Blood glucose in mg/dL (mmol/L converted with glucose's molar mass), plausible for a living human.</summary>
    public static decimal? GlucoseMgPerDl(Measurement? measurement, FieldErrors errors, string field) =>
        Round(Convert(measurement, errors, field, "glucose", 10, 2000, MgPerDl), 1);

    /// <summary>mg/dL in one mmol/L of glucose (molar mass 180.156 g/mol).</summary>
    public const decimal GlucoseMgPerDlPerMmolPerL = 18.0156m;

    private static decimal? MgPerDl(string unit, decimal value) => unit switch
    {
        "mg/dL" => value,
        "mmol/L" => value * GlucoseMgPerDlPerMmolPerL,
        _ => null,
    };

    private static decimal? MmHg(string unit, decimal value) => unit is "mmHg" or "mm[Hg]" ? value : null;

    private static decimal? PerMinute(string unit, decimal value) => unit is "/min" or "bpm" ? value : null;

    private static decimal? Percent(string unit, decimal value) => unit is "%" ? value : null;

    private static decimal? Celsius(string unit, decimal value) => unit switch
    {
        "Cel" or "C" or "°C" => value,
        "[degF]" or "F" or "°F" => (value - 32) * 5 / 9,
        _ => null,
    };

    private static decimal? Kilograms(string unit, decimal value) => unit switch
    {
        "kg" => value,
        "g" => value / 1000,
        "[lb_av]" or "lb" => value * 0.45359237m,
        _ => null,
    };

    private static decimal? Convert(Measurement? measurement, FieldErrors errors, string field, string what, decimal min, decimal max, Func<string, decimal, decimal?> toCanonical)
    {
        if (measurement is null)
        {
            return null;
        }
        if (toCanonical(measurement.Unit?.Trim() ?? "", measurement.Value) is not { } value)
        {
            errors.Add(field, $"Unknown unit '{measurement.Unit}' for {what}.");
            return null;
        }
        if (value < min || value > max)
        {
            errors.Add(field, $"{char.ToUpperInvariant(what[0])}{what[1..]} of {measurement.Value} {measurement.Unit} is not plausible.");
            return null;
        }
        return value;
    }

    private static int? Whole(decimal? value) => value is { } v ? (int)Math.Round(v, MidpointRounding.AwayFromZero) : null;

    private static decimal? Round(decimal? value, int decimals) => value is { } v ? Math.Round(v, decimals, MidpointRounding.AwayFromZero) : null;

    public static ClinicalNotes? Notes(ClinicalNotes input, DateOnly today, FieldErrors errors)
    {
        var notes = new ClinicalNotes(
            Text(input.ChiefComplaints, "chiefComplaints", MaxNoteLength, errors),
            Text(input.History, "history", MaxNoteLength, errors),
            Text(input.Examination, "examination", MaxNoteLength, errors),
            Text(input.InvestigationsAdvised, "investigationsAdvised", MaxNoteLength, errors),
            Text(input.Advice, "advice", MaxNoteLength, errors),
            input.FollowUpOn);
        if (input.FollowUpOn is { } followUp && (followUp <= today || followUp > today.AddYears(1)))
        {
            errors.Add("followUpOn", "A follow-up date is after today and within a year.");
        }
        return errors.Any ? null : notes;
    }

    public static Diagnosis? Diagnosis(string? text, string? codeSystem, string? code, FieldErrors errors)
    {
        var described = Text(text, "text", MaxDiagnosisLength, errors);
        if (described is null && !errors.Any)
        {
            errors.Add("text", "A provisional diagnosis in words is required (a code alone is not enough).");
        }
        CodedConcept? coded = null;
        if (!string.IsNullOrWhiteSpace(code) || !string.IsNullOrWhiteSpace(codeSystem))
        {
            var system = codeSystem?.Trim().ToLowerInvariant();
            var value = code?.Trim().ToUpperInvariant() ?? "";
            if (system is not (Icd10 or Snomed))
            {
                errors.Add("codeSystem", $"Code system must be '{Icd10}' or '{Snomed}'.");
            }
            else if (system == Icd10 && !Icd10Code().IsMatch(value))
            {
                errors.Add("code", "An ICD-10 code looks like J06.9 (a letter, two digits, optionally a dot and up to four characters).");
            }
            else if (system == Snomed && !IsSnomedId(value))
            {
                errors.Add("code", "A SNOMED CT concept id has 6 to 18 digits and a valid check digit.");
            }
            coded = new CodedConcept(system ?? "", value);
        }
        return errors.Any ? null : new Diagnosis(described!, coded);
    }

    /// <summary>SNOMED CT identifiers end in a Verhoeff check digit, which catches typed-in typos.</summary>
    public static bool IsSnomedId(string value)
    {
        if (value.Length is < 6 or > 18 || !value.All(char.IsAsciiDigit) || value[0] == '0')
        {
            return false;
        }
        var check = 0;
        for (var i = 0; i < value.Length; i++)
        {
            check = VerhoeffMultiply[check, VerhoeffPermute[i % 8, value[value.Length - 1 - i] - '0']];
        }
        return check == 0;
    }

    private static readonly int[,] VerhoeffMultiply =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 2, 3, 4, 0, 6, 7, 8, 9, 5 }, { 2, 3, 4, 0, 1, 7, 8, 9, 5, 6 }, { 3, 4, 0, 1, 2, 8, 9, 5, 6, 7 },
        { 4, 0, 1, 2, 3, 9, 5, 6, 7, 8 }, { 5, 9, 8, 7, 6, 0, 4, 3, 2, 1 }, { 6, 5, 9, 8, 7, 1, 0, 4, 3, 2 }, { 7, 6, 5, 9, 8, 2, 1, 0, 4, 3 },
        { 8, 7, 6, 5, 9, 3, 2, 1, 0, 4 }, { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0 },
    };

    private static readonly int[,] VerhoeffPermute =
    {
        { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, { 1, 5, 7, 6, 2, 8, 3, 0, 9, 4 }, { 5, 8, 0, 3, 7, 9, 6, 1, 4, 2 }, { 8, 9, 1, 6, 0, 4, 3, 5, 2, 7 },
        { 9, 4, 5, 3, 1, 2, 6, 8, 7, 0 }, { 4, 2, 8, 6, 5, 7, 3, 9, 0, 1 }, { 2, 7, 9, 3, 8, 0, 6, 4, 1, 5 }, { 7, 0, 4, 6, 9, 1, 3, 2, 5, 8 },
    };

    [GeneratedRegex(@"^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$")]
    private static partial Regex Icd10Code();

    /// <summary>Optional free text: trimmed, bounded, printable (new lines and tabs allowed). Blank is null.</summary>
    public static string? Text(string? raw, string field, int maxLength, FieldErrors errors)
    {
        var text = raw?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        if (text.Length > maxLength)
        {
            errors.Add(field, $"At most {maxLength} characters.");
            return null;
        }
        if (text.Any(c => char.IsControl(c) && c is not ('\n' or '\t' or '\r')))
        {
            errors.Add(field, "Control characters are not allowed.");
            return null;
        }
        return text;
    }
}
