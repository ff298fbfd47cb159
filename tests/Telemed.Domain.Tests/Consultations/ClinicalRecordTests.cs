using Telemed.Domain.Consultations;
using Telemed.Domain.Prescriptions;

namespace Telemed.Domain.Tests.Consultations;

public class ClinicalRecordTests
{
    private static readonly Guid Id = Guid.Parse("55555555-0000-0000-0000-000000000001");
    private static readonly Guid Doctor = Guid.Parse("55555555-0000-0000-0000-00000000000d");
    private static readonly Guid Patient = Guid.Parse("55555555-0000-0000-0000-00000000000e");
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 11, 25);
    private static readonly ConsultationStarted Started = new(Id, Guid.NewGuid(), 1, Doctor, Patient, Now);

    private static Consultation Given(params IConsultationEvent[] events) => events.Aggregate((Consultation?)null, Consultation.Evolve)!;

    [Fact]
    public void Vitals_are_converted_to_canonical_units()
    {
        var errors = new FieldErrors();
        var vitals = ClinicalRules.Vitals(new VitalsInput(
            new Measurement(130, "mmHg"), new Measurement(85, "mm[Hg]"), new Measurement(78, "/min"),
            new Measurement(100.4m, "[degF]"), new Measurement(97, "%"), new Measurement(154, "lb")), errors);
        errors.Any.ShouldBeFalse();
        vitals.ShouldBe(new Vitals(130, 85, 78, 38.0m, 97, 69.85m));
    }

    [Theory]
    [InlineData("temperature", 50, "Cel", "not plausible")]
    [InlineData("temperature", 37, "kelvin", "Unknown unit")]
    [InlineData("spO2", 101, "%", "not plausible")]
    [InlineData("pulse", 400, "/min", "not plausible")]
    [InlineData("weight", 70, "stone", "Unknown unit")]
    public void Implausible_vitals_and_unknown_units_are_refused_by_field(string field, decimal value, string unit, string message)
    {
        var errors = new FieldErrors();
        var measurement = new Measurement(value, unit);
        var input = field switch
        {
            "temperature" => new VitalsInput(null, null, null, measurement, null, null),
            "spO2" => new VitalsInput(null, null, null, null, measurement, null),
            "pulse" => new VitalsInput(null, null, measurement, null, null, null),
            _ => new VitalsInput(null, null, null, null, null, measurement),
        };
        ClinicalRules.Vitals(input, errors).ShouldBeNull();
        errors.ToDictionary()[$"vitals.{field}"].ShouldContain(m => m.Contains(message));
    }

    [Fact]
    public void Diastolic_must_be_below_systolic_and_both_are_needed()
    {
        var errors = new FieldErrors();
        ClinicalRules.Vitals(new VitalsInput(new Measurement(80, "mmHg"), new Measurement(90, "mmHg"), null, null, null, null), errors).ShouldBeNull();
        errors.ToDictionary().ShouldContainKey("vitals.diastolic");
        var half = new FieldErrors();
        ClinicalRules.Vitals(new VitalsInput(new Measurement(120, "mmHg"), null, null, null, null, null), half).ShouldBeNull();
        half.ToDictionary().ShouldContainKey("vitals.systolic");
    }

    [Theory]
    [InlineData("icd10", "J06.9", true)]
    [InlineData("icd10", "E11", true)]
    [InlineData("icd10", "J6.9", false)]
    [InlineData("snomed", "38341003", true)]
    [InlineData("snomed", "38341004", false)]
    [InlineData("loinc", "8480-6", false)]
    public void Diagnosis_codes_are_checked(string system, string code, bool valid)
    {
        var errors = new FieldErrors();
        var diagnosis = ClinicalRules.Diagnosis("Hypertension", system, code, errors);
        (diagnosis is not null).ShouldBe(valid);
    }

    [Fact]
    public void A_diagnosis_needs_words()
    {
        var errors = new FieldErrors();
        ClinicalRules.Diagnosis(" ", "icd10", "J06.9", errors).ShouldBeNull();
        errors.ToDictionary().ShouldContainKey("text");
    }

    [Fact]
    public void A_follow_up_date_is_in_the_coming_year()
    {
        var errors = new FieldErrors();
        ClinicalRules.Notes(new ClinicalNotes("Fever", null, null, null, null, Today), Today, errors).ShouldBeNull();
        errors.ToDictionary().ShouldContainKey("followUpOn");
        ClinicalRules.Notes(new ClinicalNotes("Fever", null, null, null, null, Today.AddDays(7)), Today, new FieldErrors()).ShouldNotBeNull();
    }

    [Fact]
    public void Medicine_lines_must_name_a_catalogue_generic_in_one_of_its_forms()
    {
        var errors = new FieldErrors();
        MedicineRules.Lines([
            new MedicineInput("Crocin", "500 mg", "tablet", new DoseInput(Morning: 1, Night: 1, Unit: "tablet"), "oral", 3, 6, null),
            new MedicineInput("paracetamol", "500 mg", "cream", new DoseInput(Morning: 1, Night: 1, Unit: "tablet"), "oral", 3, 6, null),
            new MedicineInput("paracetamol", "500 mg", "tablet", null, "by mouth", 0, 5000, null),
        ], MedicineCatalogue.Seeded, errors).ShouldBeNull();
        var fields = errors.ToDictionary();
        fields["medicines[0].generic"][0].ShouldContain("generic name");
        fields.ShouldContainKey("medicines[1].form");
        fields.Keys.ShouldBe(["medicines[0].generic", "medicines[1].form", "medicines[2].route", "medicines[2].dose",
            "medicines[2].durationDays", "medicines[2].quantity"], ignoreOrder: true);
    }

    [Fact]
    public void Only_the_consulting_doctor_records_and_only_until_completion()
    {
        var vitals = new Vitals(120, 80, null, null, null, null);
        ClinicalDecisions.RecordVitals(Given(Started), Patient, vitals, Now).Error.ShouldBe(ConsultationError.NotTheDoctor);
        var completed = Given(Started, new ConsultationCompleted(Id, Doctor, Now));
        ClinicalDecisions.RecordVitals(completed, Doctor, vitals, Now).Error.ShouldBe(ConsultationError.RecordLocked);
        ClinicalDecisions.RecordVitals(Given(Started), Doctor, vitals, Now).Value.ShouldBe([new VitalsRecorded(Id, vitals, Doctor, Now)]);
    }

    [Fact]
    public void Edits_replace_the_section_and_addenda_come_after_completion()
    {
        var first = new ClinicalNotes("Fever", null, null, null, null, null);
        var second = new ClinicalNotes("Fever and cough", null, null, null, null, null);
        var open = Given(Started, new NotesRecorded(Id, first, Doctor, Now), new NotesRecorded(Id, second, Doctor, Now));
        open.Record.Notes.ShouldBe(second);
        ClinicalDecisions.AddAddendum(open, Doctor, Guid.NewGuid(), "x", Now).Error.Code.ShouldBe("RecordStillOpen");

        var completed = Consultation.Evolve(open, new ConsultationCompleted(Id, Doctor, Now));
        var addendumId = Guid.NewGuid();
        var added = ClinicalDecisions.AddAddendum(completed, Doctor, addendumId, "Cough since 5 days, not 3.", Now).Value.ShouldHaveSingleItem();
        var withAddendum = Consultation.Evolve(completed, added);
        withAddendum.Record.Notes.ShouldBe(second);
        ClinicalDecisions.AddAddendum(withAddendum, Doctor, addendumId, "Cough since 5 days, not 3.", Now).Value.ShouldBeEmpty();
    }
}
