using System.Collections.Frozen;
using System.Globalization;
using System.Text.RegularExpressions;
using Telemed.Domain.Consultations;

namespace Telemed.Domain.Prescriptions;

/// <summary>
/// The structured dose of a prescription line: parsed from the doctor's input, its quantity held against the course, and the
/// safety checks only a structured dose allows — a weekly medicine given daily, a quantity far beyond the course, a child's
/// dose above the per-kg limit.
/// </summary>
public static partial class DoseRules
{
    public const decimal MaxAmount = 1000m;
    public const int MaxDosesPerDay = 24;

    /// <summary>A quantity above twice the course and this many units more is warned (<see cref="SafetyWarning.QuantityExceedsCourse"/>).</summary>
    public const int QuantitySlack = 10;

    /// <summary>
    /// Medicines taken once a week, for which a daily dose is a known and fatal error (methotrexate) or wrong (alendronic
    /// acid 70 mg). For clinical review (docs/prescribing.md).
    /// </summary>
    public static FrozenSet<string> WeeklyMedicines { get; } = new[] { "methotrexate", "alendronic acid" }.ToFrozenSet();

    /// <summary>A child's most per kg of body weight: a single dose, and a day (null when not set), in mg.</summary>
    public sealed record PerKgLimit(decimal? PerDoseMg, decimal? PerDayMg, string Source);

    /// <summary>Per-kg limits for children, where they are well established; for clinical review (docs/prescribing.md).</summary>
    public static FrozenDictionary<string, PerKgLimit> PerKgLimits { get; } = new Dictionary<string, PerKgLimit>
    {
        ["paracetamol"] = new(15m, 60m, "BNF for Children; IAP: 15 mg/kg a dose, at most 4 doses (60 mg/kg) a day"),
        ["ibuprofen"] = new(10m, 40m, "BNF for Children; IAP: 10 mg/kg a dose, at most 40 mg/kg a day"),
        ["amoxicillin"] = new(null, 90m, "AAP otitis media guideline: high dose 80–90 mg/kg a day, the most used"),
    }.ToFrozenDictionary();

    /// <summary>Parses a line's dose for a medicine of this form; problems under "<paramref name="field"/>.*".</summary>
    public static DoseSchedule? Parse(DoseInput? input, string? form, string field, FieldErrors errors)
    {
        if (input is null)
        {
            errors.Add(field, "Give the dose: the amount for each time of day (or as needed, once), and its unit.");
            return null;
        }
        var before = errors.Count;
        var regimen = Regimen(input.Regimen, $"{field}.regimen", errors);
        var unit = input.Unit?.Trim().ToLowerInvariant();
        var units = form is null ? DoseUnits.All : DoseUnits.ForForm(form);
        if (unit is null || !units.Contains(unit))
        {
            errors.Add($"{field}.unit", form is null
                ? $"Unit must be one of: {string.Join(", ", units)}."
                : $"A {form} is dosed in: {string.Join(", ", units)}.");
        }
        var slots = new DoseAmount[4];
        DoseAmount? amount = null;
        DayOfWeek? weekday = null;
        int? maxPerDay = null, minHours = null;
        decimal?[] given = [input.Morning, input.Afternoon, input.Evening, input.Night];
        if (regimen is DoseRegimen.Daily or DoseRegimen.AlternateDays or DoseRegimen.Weekly)
        {
            slots = [.. given.Select((value, i) => Amount(value ?? 0m, $"{field}.{DoseSchedule.SlotNames[i]}", errors) ?? DoseAmount.Zero)];
            if (slots.All(s => s.IsZero) && given.All(v => v is null or >= 0))
            {
                errors.Add($"{field}.morning", "Give an amount for at least one time of day (morning, afternoon, evening, night).");
            }
            if (input.Amount is not null)
            {
                errors.Add($"{field}.amount", "A scheduled dose gives an amount for each time of day; the single amount is for as needed or once.");
            }
        }
        else if (regimen is not null)
        {
            if (given.Any(v => v is not null and not 0))
            {
                errors.Add($"{field}.morning", "As needed and once give one amount a dose, not an amount for each time of day.");
            }
            amount = input.Amount is { } value ? Amount(value, $"{field}.amount", errors) : null;
            if (input.Amount is null)
            {
                errors.Add($"{field}.amount", "Give the amount of one dose.");
            }
            else if (amount is { IsZero: true })
            {
                errors.Add($"{field}.amount", "A dose is more than 0.");
            }
        }
        if (regimen == DoseRegimen.Weekly)
        {
            weekday = Weekday(input.Weekday, $"{field}.weekday", errors);
        }
        else if (!string.IsNullOrWhiteSpace(input.Weekday))
        {
            errors.Add($"{field}.weekday", "A weekday is given only for a weekly dose.");
        }
        if (regimen == DoseRegimen.AsNeeded)
        {
            maxPerDay = input.MaxPerDay;
            if (maxPerDay is not (>= 1 and <= MaxDosesPerDay))
            {
                errors.Add($"{field}.maxPerDay", $"As needed: give the most doses in 24 hours (1 to {MaxDosesPerDay}).");
            }
            minHours = input.MinHoursBetween;
            if (minHours is not (null or (>= 1 and <= 72)))
            {
                errors.Add($"{field}.minHoursBetween", "The fewest hours between two doses is 1 to 72.");
            }
            else if (minHours is { } hours && maxPerDay is { } most && most > 1 && hours * (most - 1) > 24)
            {
                errors.Add($"{field}.minHoursBetween", $"{most} doses at least {hours} h apart do not fit in 24 hours.");
            }
        }
        else if (input.MaxPerDay is not null || input.MinHoursBetween is not null)
        {
            errors.Add($"{field}.maxPerDay", "The most doses a day and the hours between them are given only for as needed.");
        }
        return errors.Count > before ? null : new DoseSchedule(regimen!.Value, unit!, slots[0], slots[1], slots[2], slots[3], amount, weekday, maxPerDay, minHours);
    }

    /// <summary>
    /// The course's quantity, for a form counted in the dose's unit (tablets, capsules, sachets): a scheduled course needs at
    /// least what its days take, and a quantity short of it is an error under "<paramref name="field"/>".
    /// </summary>
    public static void CheckQuantity(DoseSchedule dose, string form, int durationDays, int quantity, string field, FieldErrors errors)
    {
        if (!DoseUnits.Counts(form, dose.Unit) || dose.Regimen == DoseRegimen.AsNeeded)
        {
            return;
        }
        var needed = dose.Course(durationDays);
        if (quantity < needed)
        {
            errors.Add(field, $"The course needs {Plural(needed, dose.Unit)} ({dose.FrequencyText()} for {Plural(durationDays, "day")}); "
                + $"the quantity is {quantity}. Raise the quantity or shorten the course.");
        }
    }

    /// <summary>The warnings on one line's dose: a weekly medicine not given weekly, a quantity far beyond the course, a child's dose above its per-kg limit.</summary>
    public static IEnumerable<SafetyWarning> Check(PrescribedMedicine line, int index, int ageYears, decimal? weightKg)
    {
        if (line.Schedule is not { } dose)
        {
            yield break;
        }
        if (WeeklyMedicines.Contains(line.Generic) && dose.Regimen is DoseRegimen.Daily or DoseRegimen.AlternateDays or DoseRegimen.AsNeeded)
        {
            yield return new SafetyWarning(SafetyWarning.WeeklyDrugGivenDaily, index,
                $"{line.Generic} is taken once a week, but this line gives it {line.Frequency}: a daily dose of a weekly medicine is a known, "
                + "sometimes fatal, error. Make it weekly on one day, or give the reason.");
        }
        if (DoseUnits.Counts(line.Form, dose.Unit) && dose.Course(line.DurationDays) is var course && course > 0
            && line.Quantity > 2 * course + QuantitySlack)
        {
            yield return new SafetyWarning(SafetyWarning.QuantityExceedsCourse, index,
                $"{line.Generic}: the quantity {line.Quantity} is far above the {Plural(course, dose.Unit)} the course needs "
                + $"({line.Frequency} for {Plural(line.DurationDays, "day")}).");
        }
        if (ageYears < SafetyChecks.ChildUnder && weightKg is { } kg && kg > 0 && PerKgLimits.GetValueOrDefault(line.Generic) is { } limit
            && Milligrams(line.Strength, line.Form, dose.Unit) is { } mgPerUnit)
        {
            var perDose = dose.LargestDose * mgPerUnit;
            var perDay = dose.PerDosingDay * mgPerUnit;
            if (limit.PerDoseMg is { } doseLimit && perDose > doseLimit * kg)
            {
                yield return PerKg(line, index, "a dose", perDose, kg, doseLimit);
            }
            else if (limit.PerDayMg is { } dayLimit && perDay > dayLimit * kg)
            {
                yield return PerKg(line, index, "a day", perDay, kg, dayLimit);
            }
        }
    }

    /// <summary>
    /// The mg in one dose unit: the unit itself in mg, a tablet or capsule of a strength in mg ("500 mg"), or a ml of a
    /// strength per volume ("120 mg/5 ml"); null when the strength does not say it (combinations, units, percentages).
    /// </summary>
    public static decimal? Milligrams(string strength, string form, string unit)
    {
        if (unit == "mg")
        {
            return 1m;
        }
        var text = strength.Trim().ToLowerInvariant();
        if (unit == form && unit is "tablet" or "capsule" or "suppository" && Mg().Match(text) is { Success: true } solid)
        {
            return Number(solid.Groups["mg"].Value);
        }
        if (unit == "ml" && MgPerMl().Match(text) is { Success: true } liquid)
        {
            var ml = liquid.Groups["ml"].Success ? Number(liquid.Groups["ml"].Value) : 1m;
            return ml == 0 ? null : Number(liquid.Groups["mg"].Value) / ml;
        }
        return null;
    }

    private static SafetyWarning PerKg(PrescribedMedicine line, int index, string per, decimal mg, decimal kg, decimal limitPerKg) =>
        new(SafetyWarning.DoseAbovePerKgLimit, index,
            $"{line.Generic}: {Shown(mg)} mg {per} is {Shown(mg / kg)} mg/kg for this child of {Shown(kg)} kg, above the limit of {Shown(limitPerKg)} mg/kg {per} ({Shown(limitPerKg * kg)} mg).");

    /// <summary>A number to one decimal place, without trailing zeros.</summary>
    private static string Shown(decimal value) => decimal.Round(value, 1, MidpointRounding.AwayFromZero).ToString("0.#", CultureInfo.InvariantCulture);

    private static string Plural(int count, string unit) => Invariant($"{count} {(count == 1 ? unit : DoseUnits.Plural(unit) ?? unit)}");

    private static DoseAmount? Amount(decimal value, string field, FieldErrors errors)
    {
        if (value is < 0 or > MaxAmount || decimal.Round(value, 2) != value)
        {
            errors.Add(field, $"An amount is 0 to {MaxAmount}, in steps of 0.01 (½ is 0.5).");
            return null;
        }
        return new DoseAmount(value);
    }

    private static DoseRegimen? Regimen(string? raw, string field, FieldErrors errors)
    {
        switch (raw?.Trim())
        {
            case null or "" or "daily":
                return DoseRegimen.Daily;
            case "alternateDays":
                return DoseRegimen.AlternateDays;
            case "weekly":
                return DoseRegimen.Weekly;
            case "asNeeded":
                return DoseRegimen.AsNeeded;
            case "once":
                return DoseRegimen.Once;
            default:
                errors.Add(field, "Regimen must be daily, alternateDays, weekly, asNeeded or once.");
                return null;
        }
    }

    private static DayOfWeek? Weekday(string? raw, string field, FieldErrors errors)
    {
        if (Enum.TryParse<DayOfWeek>(raw?.Trim(), ignoreCase: true, out var day) && Enum.IsDefined(day) && !int.TryParse(raw, out _))
        {
            return day;
        }
        errors.Add(field, "A weekly dose names its day: monday to sunday.");
        return null;
    }

    private static decimal Number(string text) => decimal.Parse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    [GeneratedRegex(@"^(?<mg>\d+(\.\d+)?) ?mg$")]
    private static partial Regex Mg();

    [GeneratedRegex(@"^(?<mg>\d+(\.\d+)?) ?mg ?(/|per) ?((?<ml>\d+(\.\d+)?) ?)?ml$")]
    private static partial Regex MgPerMl();
}
