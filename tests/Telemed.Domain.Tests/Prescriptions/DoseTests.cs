using System.Text.Json;
using System.Text.Json.Serialization;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;

namespace Telemed.Domain.Tests.Prescriptions;

/// <summary>The structured dose of a prescription line: its words, its course against the quantity, weekly medicines and children's per-kg limits.</summary>
public class DoseTests
{
    private static readonly DoseInput OneTwiceDaily = new(Morning: 1, Night: 1, Unit: "tablet");

    private static (PrescribedMedicine? Line, IDictionary<string, string[]> Errors) Parse(
        DoseInput? dose, string generic = "paracetamol", string strength = "500 mg", string form = "tablet", int days = 5, int quantity = 10)
    {
        var errors = new FieldErrors();
        var purpose = MedicineCatalogue.Seeded.Find(generic)!.Group == TpgGroup.Chronic ? "refill" : "start";
        var lines = MedicineRules.Lines([new MedicineInput(generic, strength, form, dose, "oral", days, quantity, null, purpose)], MedicineCatalogue.Seeded, errors);
        return (lines?[0], errors.ToDictionary());
    }

    private static PrescribedMedicine Line(DoseInput dose, string generic = "paracetamol", string strength = "500 mg", string form = "tablet", int days = 5, int quantity = 10)
    {
        var (line, errors) = Parse(dose, generic, strength, form, days, quantity);
        errors.ShouldBeEmpty();
        return line!;
    }

    [Theory]
    [InlineData(1, 0, 0, 1, "tablet", "1 tablet", "1-0-1")]
    [InlineData(0.5, 0, 0, 0.5, "tablet", "½ tablet", "½-0-½")]
    [InlineData(1, 0, 0, 0.5, "tablet", "1-0-½ tablet", "1-0-½")]
    [InlineData(2, 2, 2, 2, "tablet", "2 tablets", "2-2-2-2")]
    [InlineData(0.25, 0, 0, 0.75, "tablet", "¼-0-¾ tablet", "¼-0-¾")]
    [InlineData(1.5, 0, 0, 0, "tablet", "1½ tablets", "1½-0-0")]
    public void A_daily_dose_prints_as_its_amount_and_pattern(double morning, double afternoon, double evening, double night, string unit, string dose, string frequency)
    {
        var line = Line(new DoseInput((decimal)morning, (decimal)afternoon, (decimal)evening, (decimal)night, unit), quantity: 40);
        line.Dose.ShouldBe(dose);
        line.Frequency.ShouldBe(frequency);
        line.Schedule!.Regimen.ShouldBe(DoseRegimen.Daily);
    }

    [Fact]
    public void Liquids_alternate_days_weekly_as_needed_and_once_print_in_words()
    {
        var syrup = Line(new DoseInput(Morning: 5, Afternoon: 5, Night: 5, Unit: "ml"), strength: "120 mg/5 ml", form: "syrup", quantity: 1);
        (syrup.Dose, syrup.Frequency).ShouldBe(("5 ml", "5-5-5"));
        var alternate = Line(new DoseInput(Morning: 1, Unit: "tablet", Regimen: "alternateDays"), days: 10, quantity: 5);
        (alternate.Dose, alternate.Frequency).ShouldBe(("1 tablet", "1-0-0 on alternate days"));
        var weekly = Line(new DoseInput(Morning: 3, Unit: "tablet", Regimen: "weekly", Weekday: "monday"), "methotrexate", "2.5 mg", days: 28, quantity: 12);
        (weekly.Dose, weekly.Frequency).ShouldBe(("3 tablets", "3-0-0 weekly on Monday"));
        weekly.Schedule!.Weekday.ShouldBe(DayOfWeek.Monday);
        var sos = Line(new DoseInput(Amount: 1, Unit: "tablet", Regimen: "asNeeded", MaxPerDay: 4, MinHoursBetween: 6), quantity: 10);
        (sos.Dose, sos.Frequency).ShouldBe(("1 tablet", "as needed, at most 4 in 24 h, at least 6 h apart"));
        var stat = Line(new DoseInput(Amount: 2, Unit: "tablet", Regimen: "once"), days: 1, quantity: 2);
        (stat.Dose, stat.Frequency).ShouldBe(("2 tablets", "once (stat)"));
    }

    [Fact]
    public void A_malformed_dose_is_refused_field_by_field()
    {
        Parse(null).Errors.Keys.ShouldBe(["medicines[0].dose"]);
        Parse(new DoseInput(Unit: "tablet")).Errors.Keys.ShouldBe(["medicines[0].dose.morning"]);
        Parse(new DoseInput(Morning: 1, Unit: "ml")).Errors["medicines[0].dose.unit"][0].ShouldBe("A tablet is dosed in: tablet, mg.");
        Parse(new DoseInput(Morning: -1, Night: 0.333m, Unit: "tablet")).Errors.Keys.ShouldBe(["medicines[0].dose.morning", "medicines[0].dose.night"], ignoreOrder: true);
        Parse(new DoseInput(Morning: 1, Unit: "tablet", Regimen: "fortnightly")).Errors.Keys.ShouldBe(["medicines[0].dose.regimen"]);
        Parse(new DoseInput(Morning: 1, Unit: "tablet", Regimen: "weekly")).Errors.Keys.ShouldBe(["medicines[0].dose.weekday"]);
        Parse(new DoseInput(Amount: 1, Unit: "tablet", Regimen: "asNeeded")).Errors.Keys.ShouldBe(["medicines[0].dose.maxPerDay"]);
        Parse(new DoseInput(Amount: 1, Unit: "tablet", Regimen: "asNeeded", MaxPerDay: 6, MinHoursBetween: 8)).Errors.Keys
            .ShouldBe(["medicines[0].dose.minHoursBetween"], "six doses eight hours apart take 40 hours");
        Parse(new DoseInput(Morning: 1, Unit: "tablet", Regimen: "asNeeded", MaxPerDay: 3)).Errors.Keys
            .ShouldBe(["medicines[0].dose.morning", "medicines[0].dose.amount"], ignoreOrder: true);
        Parse(new DoseInput(Morning: 1, Unit: "tablet", MaxPerDay: 3)).Errors.Keys.ShouldBe(["medicines[0].dose.maxPerDay"]);
    }

    [Theory]
    [InlineData(1, 0, 1, "daily", 5, 10)]
    [InlineData(0.5, 0, 0.5, "daily", 3, 3)]
    [InlineData(0.5, 0, 0, "daily", 5, 3)]
    [InlineData(1, 0, 0, "alternateDays", 7, 4)]
    [InlineData(1, 0, 0, "weekly", 30, 5)]
    public void A_scheduled_course_needs_its_quantity_in_whole_tablets(double morning, double afternoon, double night, string regimen, int days, int needed)
    {
        var dose = new DoseInput((decimal)morning, (decimal)afternoon, 0, (decimal)night, "tablet", regimen, regimen == "weekly" ? "sunday" : null);
        Parse(dose, days: days, quantity: needed).Errors.ShouldBeEmpty();
        var shortOf = Parse(dose, days: days, quantity: needed - 1).Errors.ShouldHaveSingleItem();
        shortOf.Key.ShouldBe("medicines[0].quantity");
        shortOf.Value[0].ShouldStartWith($"The course needs {needed} tablet");
    }

    [Fact]
    public void A_quantity_not_counted_in_the_dose_unit_or_taken_as_needed_is_not_held_to_the_course()
    {
        Parse(new DoseInput(Morning: 5, Night: 5, Unit: "ml"), strength: "120 mg/5 ml", form: "syrup", quantity: 1).Errors.ShouldBeEmpty();
        Parse(new DoseInput(Amount: 1, Unit: "tablet", Regimen: "asNeeded", MaxPerDay: 4), days: 5, quantity: 4).Errors.ShouldBeEmpty();
    }

    private static readonly PatientSafetyFacts Adult = new(40, Sex.Male, null, 70m, []);

    private static PatientSafetyFacts Child(decimal kg) => new(4, Sex.Female, null, kg, []);

    [Fact]
    public void A_quantity_far_above_the_course_is_warned()
    {
        SafetyChecks.Check([Line(OneTwiceDaily, quantity: 30)], Adult).ShouldBeEmpty("30 is 2 × 10 + 10");
        var warning = SafetyChecks.Check([Line(OneTwiceDaily, quantity: 31)], Adult).ShouldHaveSingleItem();
        warning.ShouldBe(new SafetyWarning(SafetyWarning.QuantityExceedsCourse, 0,
            "paracetamol: the quantity 31 is far above the 10 tablets the course needs (1-0-1 for 5 days)."));
        var sos = Line(new DoseInput(Amount: 1, Unit: "tablet", Regimen: "asNeeded", MaxPerDay: 2), days: 5, quantity: 31);
        SafetyChecks.Check([sos], Adult).ShouldHaveSingleItem().Code.ShouldBe(SafetyWarning.QuantityExceedsCourse, "as needed, the course is at most 10");
    }

    [Fact]
    public void A_weekly_medicine_given_daily_is_warned_and_weekly_is_not()
    {
        var daily = Line(new DoseInput(Morning: 1, Unit: "tablet"), "methotrexate", "2.5 mg", days: 28, quantity: 28);
        var warning = SafetyChecks.Check([daily], Adult).ShouldHaveSingleItem();
        warning.Code.ShouldBe(SafetyWarning.WeeklyDrugGivenDaily);
        warning.Message.ShouldStartWith("methotrexate is taken once a week, but this line gives it 1-0-0");
        var alternate = Line(new DoseInput(Morning: 1, Unit: "tablet", Regimen: "alternateDays"), "alendronic acid", "70 mg", days: 28, quantity: 14);
        SafetyChecks.Check([alternate], Adult).ShouldHaveSingleItem().Code.ShouldBe(SafetyWarning.WeeklyDrugGivenDaily);
        var weekly = Line(new DoseInput(Morning: 1, Unit: "tablet", Regimen: "weekly", Weekday: "sunday"), "alendronic acid", "70 mg", days: 28, quantity: 4);
        SafetyChecks.Check([weekly], Adult).ShouldBeEmpty();
    }

    [Fact]
    public void A_weekly_medicine_given_daily_stands_once_overridden_with_a_reason_which_is_recorded()
    {
        var daily = Line(new DoseInput(Morning: 1, Unit: "tablet"), "methotrexate", "2.5 mg", days: 28, quantity: 28);
        var warnings = SafetyChecks.Check([daily], Adult);
        SafetyChecks.Answer(warnings, []).Unanswered.ShouldHaveSingleItem().Code.ShouldBe(SafetyWarning.WeeklyDrugGivenDaily);
        var (overrides, unanswered) = SafetyChecks.Answer(warnings, [new SafetyOverride(SafetyWarning.WeeklyDrugGivenDaily, 0, "Oncology protocol, daily low dose", "")]);
        unanswered.ShouldBeEmpty();
        overrides.ShouldHaveSingleItem().Warning.ShouldStartWith("methotrexate is taken once a week");
    }

    [Theory]
    [InlineData("500 mg", "tablet", "tablet", 500)]
    [InlineData("120 mg/5 ml", "syrup", "ml", 24)]
    [InlineData("250 mg / 5 ml", "suspension", "ml", 50)]
    [InlineData("100 mg/ml", "drops", "ml", 100)]
    [InlineData("500 mg", "tablet", "mg", 1)]
    public void The_mg_in_a_dose_unit_comes_from_the_strength(string strength, string form, string unit, double mg) =>
        DoseRules.Milligrams(strength, form, unit).ShouldBe((decimal)mg);

    [Theory]
    [InlineData("500 mg + 125 mg", "tablet", "tablet")]
    [InlineData("1%", "cream", "application")]
    [InlineData("500 mg", "tablet", "ml")]
    public void A_strength_that_does_not_give_mg_per_unit_is_not_computed(string strength, string form, string unit) =>
        DoseRules.Milligrams(strength, form, unit).ShouldBeNull();

    [Fact]
    public void A_childs_dose_above_the_per_kg_limit_is_warned_with_the_numbers()
    {
        var tablet = Line(new DoseInput(Morning: 1, Night: 1, Unit: "tablet"));
        SafetyChecks.Check([tablet], Child(10m)).ShouldHaveSingleItem().ShouldBe(new SafetyWarning(SafetyWarning.DoseAbovePerKgLimit, 0,
            "paracetamol: 500 mg a dose is 50 mg/kg for this child of 10 kg, above the limit of 15 mg/kg a dose (150 mg)."));
        SafetyChecks.Check([tablet], Adult).ShouldBeEmpty();

        var syrup = Line(new DoseInput(Morning: 5, Afternoon: 5, Evening: 5, Night: 5, Unit: "ml"), strength: "120 mg/5 ml", form: "syrup", quantity: 1);
        SafetyChecks.Check([syrup], Child(10m)).ShouldBeEmpty("120 mg a dose is 12 mg/kg; 480 mg a day is 48 mg/kg");
        var tooMuch = Line(new DoseInput(Morning: 6.5m, Afternoon: 6.5m, Evening: 6.5m, Night: 6.5m, Unit: "ml"), strength: "120 mg/5 ml", form: "syrup", quantity: 1);
        SafetyChecks.Check([tooMuch], Child(10m)).ShouldHaveSingleItem().Message
            .ShouldBe("paracetamol: 156 mg a dose is 15.6 mg/kg for this child of 10 kg, above the limit of 15 mg/kg a dose (150 mg).");
    }

    [Fact]
    public void A_per_day_limit_counts_every_dose_of_the_day()
    {
        var amoxicillin = Line(new DoseInput(Morning: 10, Afternoon: 10, Night: 10, Unit: "ml"), "amoxicillin", "250 mg/5 ml", "suspension", quantity: 2);
        SafetyChecks.Check([amoxicillin], Child(10m)).ShouldHaveSingleItem().Message
            .ShouldBe("amoxicillin: 1500 mg a day is 150 mg/kg for this child of 10 kg, above the limit of 90 mg/kg a day (900 mg).");
        var sos = Line(new DoseInput(Amount: 5, Unit: "ml", Regimen: "asNeeded", MaxPerDay: 6), "ibuprofen", "100 mg/5 ml", "suspension", quantity: 1);
        SafetyChecks.Check([sos], Child(14m)).ShouldHaveSingleItem().Message
            .ShouldBe("ibuprofen: 600 mg a day is 42.9 mg/kg for this child of 14 kg, above the limit of 40 mg/kg a day (560 mg).");
    }

    private static readonly JsonSerializerOptions StoredEvents = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    [Fact]
    public void A_line_written_before_doses_were_structured_still_loads_with_its_words_and_no_schedule()
    {
        const string stored = """
            {"consultationId":"66666666-0000-0000-0000-000000000001","kind":"FirstConsult","by":"66666666-0000-0000-0000-00000000000d",
             "at":"2026-11-25T06:00:00+00:00","medicines":[{"generic":"paracetamol","strength":"500 mg","form":"tablet","dose":"1 tablet",
             "frequency":"1-0-1","route":"oral","durationDays":3,"quantity":6,"instructions":null,"group":"O","purpose":"Start"}]}
            """;
        var line = JsonSerializer.Deserialize<MedicinesPrescribed>(stored, StoredEvents)!.Medicines.ShouldHaveSingleItem();
        (line.Dose, line.Frequency, line.Schedule).ShouldBe(("1 tablet", "1-0-1", (DoseSchedule?)null));
        SafetyChecks.Check([line], Child(10m)).ShouldBeEmpty("an unstructured dose cannot be checked per kg");
    }

    [Fact]
    public void A_structured_dose_round_trips_and_is_signed_as_strings()
    {
        var line = Line(new DoseInput(Morning: 0.5m, Night: 0.5m, Unit: "tablet"), quantity: 5);
        var json = JsonSerializer.Serialize(line, PrescriptionSignature.JsonOptions);
        json.ShouldContain("\"morning\":\"0.5\"");
        json.ShouldNotContain("slots", Case.Insensitive);
        JsonSerializer.Deserialize<PrescribedMedicine>(json, PrescriptionSignature.JsonOptions).ShouldBe(line);
        CanonicalJson.Serialize(System.Text.Json.Nodes.JsonNode.Parse(json)).ShouldNotBeEmpty();
    }
}
