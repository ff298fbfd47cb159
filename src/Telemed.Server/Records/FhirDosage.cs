using System.Globalization;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using Telemed.Domain.Prescriptions;

namespace Telemed.Server.Records;

/// <summary>
/// A prescription line as FHIR dosages. A structured dose (<see cref="DoseSchedule"/>) gives the timing (times of day, every
/// day, every other day, a weekday each week, as needed, once), the dose as <c>doseAndRate.doseQuantity</c> and, as needed, the
/// most in a day as <c>maxDosePerPeriod</c>; slots with different amounts (1-0-½) are one dosage each, in the same sequence.
/// A line written before doses were structured keeps its words as text, and its frequency is given as a timing when it is
/// one of the ways Indian prescriptions write it ("1-0-1", "BD", "TDS", "HS", "SOS", "q8h", ...).
/// </summary>
internal static partial class FhirDosage
{
    private static readonly Timing.EventTiming[] SlotTimes =
        [Timing.EventTiming.MORN, Timing.EventTiming.AFT, Timing.EventTiming.EVE, Timing.EventTiming.NIGHT];

    private static readonly Timing.EventTiming[] ThreeSlots = [Timing.EventTiming.MORN, Timing.EventTiming.AFT, Timing.EventTiming.NIGHT];
    private static readonly Timing.EventTiming[] FourSlots =
        [Timing.EventTiming.MORN, Timing.EventTiming.AFT, Timing.EventTiming.EVE, Timing.EventTiming.NIGHT];

    public static List<Dosage> For(PrescribedMedicine medicine) => medicine.Schedule is { } dose ? Structured(medicine, dose) : [FromWords(medicine)];

    private static List<Dosage> Structured(PrescribedMedicine medicine, DoseSchedule dose)
    {
        if (!dose.Scheduled)
        {
            var repeat = new Timing.RepeatComponent { Bounds = Days(medicine.DurationDays) };
            if (dose.Regimen == DoseRegimen.Once)
            {
                repeat.Count = 1;
            }
            else if (dose.MinHoursBetween is { } hours)
            {
                repeat.Frequency = 1;
                repeat.Period = hours;
                repeat.PeriodUnit = Timing.UnitsOfTime.H;
            }
            var single = Dosage(medicine, repeat, dose, dose.Amount!.Value);
            if (dose.Regimen == DoseRegimen.AsNeeded)
            {
                single.AsNeeded = new FhirBoolean(true);
                single.MaxDosePerPeriod = new Ratio(
                    Quantity(dose, new DoseAmount(dose.Amount.Value.Value * dose.MaxDosesPerDay!.Value)),
                    new Quantity { Value = 1, Unit = "day", System = FhirCodes.Ucum, Code = "d" });
            }
            return [single];
        }
        return [.. dose.Slots
            .Select((amount, slot) => (Amount: amount, Time: SlotTimes[slot]))
            .Where(s => !s.Amount.IsZero)
            .GroupBy(s => s.Amount)
            .Select(group =>
            {
                var repeat = new Timing.RepeatComponent
                {
                    Bounds = Days(medicine.DurationDays),
                    Frequency = group.Count(),
                    Period = dose.Regimen == DoseRegimen.AlternateDays ? 2 : 1,
                    PeriodUnit = dose.Regimen == DoseRegimen.Weekly ? Timing.UnitsOfTime.Wk : Timing.UnitsOfTime.D,
                    When = [.. group.Select(s => (Timing.EventTiming?)s.Time)],
                };
                if (dose.Weekday is { } day)
                {
                    repeat.DayOfWeek = [FhirDay(day)];
                }
                return Dosage(medicine, repeat, dose, group.Key);
            })];
    }

    private static Dosage Dosage(PrescribedMedicine medicine, Timing.RepeatComponent repeat, DoseSchedule dose, DoseAmount amount)
    {
        var dosage = Dosage(medicine, repeat);
        dosage.DoseAndRate = [new Dosage.DoseAndRateComponent { Dose = Quantity(dose, amount) }];
        return dosage;
    }

    /// <summary>What every dosage of the line says: its words, the patient's instructions, the timing and the route.</summary>
    private static Dosage Dosage(PrescribedMedicine medicine, Timing.RepeatComponent repeat)
    {
        var route = FhirCodes.Route(medicine.Route);
        return new Dosage
        {
            Sequence = 1,
            Text = Text(medicine),
            PatientInstruction = medicine.Instructions,
            Timing = new Timing { Repeat = repeat },
            Route = new CodeableConcept { Coding = route is null ? [] : [route], Text = medicine.Route },
        };
    }

    /// <summary>
    /// A dose in UCUM: mL, mg, drops and (international) units by their codes; a count of a dose form (tablet, capsule,
    /// puff …) as a UCUM annotation of one ("{tablet}"), as UCUM writes units of presentation.
    /// </summary>
    private static Quantity Quantity(DoseSchedule dose, DoseAmount amount) => new()
    {
        Value = amount.Value,
        Unit = dose.UnitOf(amount),
        System = FhirCodes.Ucum,
        Code = dose.Unit switch
        {
            "ml" => "mL",
            "mg" => "mg",
            "drop" => "[drp]",
            "unit" => "[IU]",
            var presentation => $"{{{presentation}}}",
        },
    };

    private static DaysOfWeek FhirDay(DayOfWeek day) => day switch
    {
        DayOfWeek.Monday => DaysOfWeek.Mon,
        DayOfWeek.Tuesday => DaysOfWeek.Tue,
        DayOfWeek.Wednesday => DaysOfWeek.Wed,
        DayOfWeek.Thursday => DaysOfWeek.Thu,
        DayOfWeek.Friday => DaysOfWeek.Fri,
        DayOfWeek.Saturday => DaysOfWeek.Sat,
        _ => DaysOfWeek.Sun,
    };

    private static Dosage FromWords(PrescribedMedicine medicine)
    {
        var repeat = new Timing.RepeatComponent { Bounds = Days(medicine.DurationDays) };
        var asNeeded = Apply(medicine.Frequency, repeat);
        var dosage = Dosage(medicine, repeat);
        dosage.AsNeeded = asNeeded ? new FhirBoolean(true) : null;
        return dosage;
    }

    public static string Text(PrescribedMedicine medicine)
    {
        var text = $"{medicine.Dose}, {medicine.Frequency}, {medicine.Route}, for {Plural(medicine.DurationDays, "day")}";
        return string.IsNullOrWhiteSpace(medicine.Instructions) ? text : $"{text}. {medicine.Instructions}";
    }

    public static Duration Days(int days) =>
        new() { Value = days, Unit = days == 1 ? "day" : "days", System = FhirCodes.Ucum, Code = "d" };

    public static string Plural(int count, string unit) =>
        string.Create(CultureInfo.InvariantCulture, $"{count} {unit}{(count == 1 ? "" : "s")}");

    /// <summary>Fills in the repeat from the frequency text when it is understood; true when the medicine is taken as needed.</summary>
    private static bool Apply(string frequency, Timing.RepeatComponent repeat)
    {
        var text = frequency.Trim().ToUpperInvariant().Replace(".", "", StringComparison.Ordinal);
        if (Slots(text) is { } slots)
        {
            repeat.Frequency = slots.Count;
            PerDay(repeat);
            repeat.When = [.. slots.Cast<Timing.EventTiming?>()];
            return false;
        }
        if (EveryHours().Match(text) is { Success: true } every)
        {
            repeat.Frequency = 1;
            repeat.Period = int.Parse(every.Groups["hours"].Value, CultureInfo.InvariantCulture);
            repeat.PeriodUnit = Timing.UnitsOfTime.H;
            return false;
        }
        switch (text)
        {
            case "OD" or "QD" or "DAILY" or "ONCE DAILY" or "ONCE A DAY":
                Daily(repeat, 1);
                return false;
            case "BD" or "BID" or "TWICE DAILY" or "TWICE A DAY":
                Daily(repeat, 2);
                return false;
            case "TDS" or "TID" or "THRICE DAILY" or "THREE TIMES A DAY":
                Daily(repeat, 3);
                return false;
            case "QID" or "QDS" or "FOUR TIMES A DAY":
                Daily(repeat, 4);
                return false;
            case "HS" or "AT BEDTIME":
                Daily(repeat, 1);
                repeat.When = [Timing.EventTiming.HS];
                return false;
            case "QOD" or "ALTERNATE DAYS" or "EVERY OTHER DAY":
                repeat.Frequency = 1;
                repeat.Period = 2;
                repeat.PeriodUnit = Timing.UnitsOfTime.D;
                return false;
            case "WEEKLY" or "ONCE A WEEK" or "ONCE WEEKLY":
                repeat.Frequency = 1;
                repeat.Period = 1;
                repeat.PeriodUnit = Timing.UnitsOfTime.Wk;
                return false;
            case "STAT":
                repeat.Count = 1;
                return false;
            case "SOS" or "PRN" or "AS NEEDED" or "AS REQUIRED":
                return true;
            default:
                return false;
        }
    }

    private static void Daily(Timing.RepeatComponent repeat, int times)
    {
        repeat.Frequency = times;
        PerDay(repeat);
    }

    private static void PerDay(Timing.RepeatComponent repeat)
    {
        repeat.Period = 1;
        repeat.PeriodUnit = Timing.UnitsOfTime.D;
    }

    /// <summary>"1-0-1" (morning, afternoon, night) or "1-1-1-1" (with evening): the times of day with a dose.</summary>
    private static List<Timing.EventTiming>? Slots(string text)
    {
        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        var names = parts.Length switch { 3 => ThreeSlots, 4 => FourSlots, _ => null };
        if (names is null || !parts.All(p => SlotDose().IsMatch(p)))
        {
            return null;
        }
        var taken = names.Where((_, i) => !IsZero(parts[i])).ToList();
        return taken.Count == 0 ? null : taken;
    }

    private static bool IsZero(string dose) => dose.All(c => c is '0' or '.');

    [GeneratedRegex(@"^(\d+(\.\d+)?|\d+/\d+|½|¼|¾|1½)$")]
    private static partial Regex SlotDose();

    [GeneratedRegex(@"^(Q|EVERY )(?<hours>[1-9]\d?) ?(H|HR|HRS|HOURS?|HOURLY)$")]
    private static partial Regex EveryHours();
}
