using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Telemed.Domain.Prescriptions;

/// <summary>
/// An amount of a dose unit: whole, a quarter, a half or three quarters of a tablet, or a measured amount (2.5 ml).
/// Written as a string in JSON ("0.5"): the signed prescription's canonical JSON carries whole numbers only.
/// </summary>
[JsonConverter(typeof(DoseAmountJsonConverter))]
public readonly record struct DoseAmount(decimal Value)
{
    public static DoseAmount Zero { get; } = new(0m);

    public bool IsZero => Value == 0m;

    /// <summary>How a prescription writes it: ½, ¼, ¾ and 1½ for the usual fractions of a tablet, otherwise the number (2.5).</summary>
    public override string ToString()
    {
        var whole = decimal.Truncate(Value);
        var fraction = (Value - whole) switch { 0.25m => "¼", 0.5m => "½", 0.75m => "¾", _ => null };
        return fraction is null ? Value.ToString("0.##", CultureInfo.InvariantCulture)
            : whole == 0 ? fraction
            : whole.ToString(CultureInfo.InvariantCulture) + fraction;
    }
}

internal sealed class DoseAmountJsonConverter : JsonConverter<DoseAmount>
{
    public override DoseAmount Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.TokenType switch
    {
        JsonTokenType.Number => new DoseAmount(reader.GetDecimal()),
        JsonTokenType.String when decimal.TryParse(reader.GetString(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) => new DoseAmount(value),
        _ => throw new JsonException("A dose amount is a number written as a string, such as \"0.5\"."),
    };

    public override void Write(Utf8JsonWriter writer, DoseAmount value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.Value.ToString("0.##", CultureInfo.InvariantCulture));
}

/// <summary>How often a line is taken: its slots every day, every other day, once a week, as needed, or once (stat).</summary>
public enum DoseRegimen
{
    Daily,
    AlternateDays,
    Weekly,
    AsNeeded,
    Once,
}

/// <summary>
/// A structured dose. A scheduled regimen (<see cref="DoseRegimen.Daily"/>, <see cref="DoseRegimen.AlternateDays"/>,
/// <see cref="DoseRegimen.Weekly"/> on <see cref="Weekday"/>) gives an amount for each time of day (zero when not taken);
/// as needed and once give one <see cref="Amount"/> a dose, as needed with the most doses in 24 hours and, optionally, the
/// fewest hours between two.
/// </summary>
public sealed record DoseSchedule(
    DoseRegimen Regimen,
    string Unit,
    DoseAmount Morning,
    DoseAmount Afternoon,
    DoseAmount Evening,
    DoseAmount Night,
    DoseAmount? Amount = null,
    DayOfWeek? Weekday = null,
    int? MaxDosesPerDay = null,
    int? MinHoursBetween = null)
{
    public static IReadOnlyList<string> SlotNames { get; } = ["morning", "afternoon", "evening", "night"];

    /// <summary>The amounts for the times of day: morning, afternoon, evening, night.</summary>
    [JsonIgnore]
    public IReadOnlyList<DoseAmount> Slots => [Morning, Afternoon, Evening, Night];

    [JsonIgnore]
    public bool Scheduled => Regimen is DoseRegimen.Daily or DoseRegimen.AlternateDays or DoseRegimen.Weekly;

    /// <summary>The amount taken on a day the medicine is taken: the slots' sum, as needed at most its maximum, once its one dose.</summary>
    [JsonIgnore]
    public decimal PerDosingDay => Regimen switch
    {
        DoseRegimen.AsNeeded => (Amount?.Value ?? 0m) * (MaxDosesPerDay ?? 0),
        DoseRegimen.Once => Amount?.Value ?? 0m,
        _ => Slots.Sum(s => s.Value),
    };

    /// <summary>The largest single dose.</summary>
    [JsonIgnore]
    public decimal LargestDose => Scheduled ? Slots.Max(s => s.Value) : Amount?.Value ?? 0m;

    /// <summary>How many days of a course of <paramref name="days"/> the medicine is taken on.</summary>
    public int DosingDays(int days) => Regimen switch
    {
        DoseRegimen.AlternateDays => (days + 1) / 2,
        DoseRegimen.Weekly => (days + 6) / 7,
        DoseRegimen.Once => 1,
        _ => days,
    };

    /// <summary>
    /// The units a course of <paramref name="days"/> takes, rounded up to whole units; for as needed the most it can take.
    /// </summary>
    public int Course(int days) => (int)decimal.Ceiling(PerDosingDay * DosingDays(days));

    /// <summary>"1-0-1" (morning, afternoon, night) or, with an evening dose, "1-1-1-1"; as Indian prescriptions write it.</summary>
    public string Pattern()
    {
        var slots = Slots;
        var shown = slots[2].IsZero ? new[] { slots[0], slots[1], slots[3] } : [.. slots];
        return string.Join('-', shown.Select(s => s.ToString()));
    }

    /// <summary>The dose as the prescription prints it: "1 tablet", "½ tablet", "5 ml", or "1-0-½ tablet" when the slots differ.</summary>
    public string DoseText()
    {
        if (!Scheduled)
        {
            return Quantity(Amount ?? DoseAmount.Zero);
        }
        var taken = Slots.Where(s => !s.IsZero).Distinct().ToList();
        return taken.Count == 1 ? Quantity(taken[0]) : $"{Pattern()} {Unit}";
    }

    /// <summary>The frequency as the prescription prints it: "1-0-1", "1-0-0 on alternate days", "1-0-0 weekly on Monday", "as needed, …", "once (stat)".</summary>
    public string FrequencyText() => Regimen switch
    {
        DoseRegimen.AlternateDays => $"{Pattern()} on alternate days",
        DoseRegimen.Weekly => $"{Pattern()} weekly on {Weekday}",
        DoseRegimen.AsNeeded => MinHoursBetween is { } hours
            ? Invariant($"as needed, at most {MaxDosesPerDay} in 24 h, at least {hours} h apart")
            : Invariant($"as needed, at most {MaxDosesPerDay} in 24 h"),
        DoseRegimen.Once => "once (stat)",
        _ => Pattern(),
    };

    /// <summary>An amount with this unit, plural when more than one: "2 tablets", "½ tablet", "5 ml".</summary>
    public string Quantity(DoseAmount amount) => $"{amount} {UnitOf(amount)}";

    /// <summary>The unit for this amount: plural when more than one ("tablets"), except ml and mg.</summary>
    public string UnitOf(DoseAmount amount) => amount.Value > 1m && DoseUnits.Plural(Unit) is { } plural ? plural : Unit;

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}

/// <summary>The units a dose is measured in, and which of them a line's form allows.</summary>
public static class DoseUnits
{
    public static IReadOnlyList<string> All { get; } =
        ["tablet", "capsule", "sachet", "suppository", "lozenge", "patch", "ml", "drop", "puff", "spray", "application", "unit", "mg"];

    /// <summary>The units a form is dosed in; the first is what the doctor is offered first.</summary>
    public static IReadOnlyList<string> ForForm(string form) => form switch
    {
        "tablet" => ["tablet", "mg"],
        "capsule" => ["capsule", "mg"],
        "syrup" or "suspension" or "solution" => ["ml", "mg", "sachet"],
        "drops" => ["drop", "ml", "mg"],
        "injection" => ["ml", "unit", "mg"],
        "inhaler" => ["puff"],
        "spray" => ["spray", "puff"],
        "powder" or "granules" => ["sachet", "mg"],
        "suppository" => ["suppository"],
        "lozenge" => ["lozenge"],
        "patch" => ["patch"],
        _ => ["application"],
    };

    /// <summary>
    /// Whether a quantity of this form counts doses of this unit — tablets of tablets, sachets of a powder — so it can be
    /// checked against the course. A bottle of syrup or a tube of cream is not counted in ml or applications.
    /// </summary>
    public static bool Counts(string form, string unit) => (form, unit) switch
    {
        ("tablet", "tablet") or ("capsule", "capsule") or ("suppository", "suppository") or ("lozenge", "lozenge") or ("patch", "patch") => true,
        ("powder" or "granules", "sachet") => true,
        _ => false,
    };

    public static string? Plural(string unit) => unit switch
    {
        "ml" or "mg" => null,
        _ => unit + "s",
    };
}
