using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;
using Telemed.Domain.Queue;
using Telemed.Domain.Records;

namespace Telemed.Domain.Tests.Prescriptions;

/// <summary>The safety checks at prescribing: allergies, duplicate therapy, pregnancy and breastfeeding, children's weight, minors' adults, and overrides.</summary>
public class SafetyCheckTests
{
    private static readonly Guid Id = Guid.Parse("88888888-0000-0000-0000-000000000001");
    private static readonly Guid Doctor = Guid.Parse("88888888-0000-0000-0000-00000000000d");
    private static readonly Guid Patient = Guid.Parse("88888888-0000-0000-0000-00000000000e");
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);
    private static readonly AccompanyingAdult Mother = new("Lakshmi Devi", Relation.Parent, null);

    private static Consultation Seen(AccompanyingAdult? accompaniedBy = null, params IConsultationEvent[] more) =>
        new IConsultationEvent[]
            {
                new ConsultationStarted(Id, Guid.NewGuid(), 1, Doctor, Patient, Now, AccompaniedBy: accompaniedBy),
                new PatientCameraReported(Id, true, Patient, Now), new CallConnected(Id, Patient, Now),
                new DiagnosisRecorded(Id, new Diagnosis("Acne vulgaris", null), Doctor, Now),
            }
            .Concat(more)
            .Aggregate((Consultation?)null, Consultation.Evolve)!;

    private static PrescribedMedicine Line(string generic)
    {
        var medicine = MedicineCatalogue.Seeded.Find(generic)!;
        return new PrescribedMedicine(medicine.Generic, "1 unit", medicine.Forms[0], "1", "1-0-1", "oral", 5, 10, null, medicine.Group, MedicinePurpose.Start);
    }

    private static Allergy AllergyTo(string substance, bool verified = true, AllergySeverity severity = AllergySeverity.Severe) =>
        new(Guid.NewGuid(), Patient, substance, "hives and lip swelling", severity, verified, Doctor, Now);

    private static PatientSafetyFacts Man(params Allergy[] allergies) => new(40, Sex.Male, null, 70m, allergies);

    private static PatientSafetyFacts Woman(int age, PregnancyStatus? status) => new(age, Sex.Female, status, 55m, []);

    private static IReadOnlyList<SafetyWarning> Check(PatientSafetyFacts patient, params string[] generics) =>
        SafetyChecks.Check([.. generics.Select(Line)], patient);

    [Fact]
    public void A_combination_is_split_into_its_ingredients() =>
        SafetyChecks.Ingredients("rifampicin + isoniazid + pyrazinamide + ethambutol").ShouldBe(["rifampicin", "isoniazid", "pyrazinamide", "ethambutol"]);

    [Fact]
    public void An_allergy_to_an_ingredient_warns_on_a_combination_that_holds_it_and_explains_itself()
    {
        var warning = Check(Man(AllergyTo("amoxicillin")), "paracetamol", "amoxicillin + clavulanic acid").ShouldHaveSingleItem();
        warning.Code.ShouldBe(SafetyWarning.Allergy);
        warning.Line.ShouldBe(1);
        warning.Message.ShouldBe("amoxicillin + clavulanic acid: the patient is allergic to amoxicillin (severe hives and lip swelling, verified by a doctor), "
            + "which matches its ingredient amoxicillin.");
    }

    [Theory]
    [InlineData("Penicillins", "amoxicillin")]
    [InlineData("penicillin", "amoxicillin + clavulanic acid")]
    [InlineData("sulfa", "sulfamethoxazole + trimethoprim")]
    [InlineData("Sulphonamides", "sulfasalazine")]
    [InlineData("NSAIDs", "ibuprofen")]
    [InlineData("nsaid", "aspirin + clopidogrel")]
    [InlineData("cephalosporin", "cefixime")]
    public void An_allergy_to_a_class_warns_on_each_member(string allergy, string generic) =>
        Check(Man(AllergyTo(allergy)), generic).ShouldHaveSingleItem().Code.ShouldBe(SafetyWarning.Allergy);

    [Fact]
    public void An_unverified_allergy_warns_too_and_says_it_is_unverified() =>
        Check(Man(AllergyTo("ibuprofen", verified: false, AllergySeverity.Mild)), "ibuprofen").ShouldHaveSingleItem().Message
            .ShouldContain("ibuprofen (mild hives and lip swelling, reported, not verified)");

    [Fact]
    public void Medicines_outside_the_allergy_and_resolved_allergies_are_not_warned() =>
        Check(Man(AllergyTo("NSAIDs"), AllergyTo("amoxicillin") with { ResolvedAt = Now }), "paracetamol", "amoxicillin").ShouldBeEmpty();

    [Fact]
    public void Two_lines_sharing_an_ingredient_are_duplicate_therapy()
    {
        var warning = Check(Man(), "aspirin", "paracetamol", "aspirin + clopidogrel").ShouldHaveSingleItem();
        warning.Code.ShouldBe(SafetyWarning.DuplicateTherapy);
        warning.Line.ShouldBe(2);
        warning.Message.ShouldBe("aspirin + clopidogrel and aspirin (line 1) both contain aspirin: duplicate therapy.");
    }

    [Fact]
    public void A_woman_of_child_bearing_age_without_a_status_is_asked_for_it_on_a_contraindicated_medicine_only()
    {
        var warning = Check(Woman(28, null), "paracetamol", "isotretinoin").ShouldHaveSingleItem();
        warning.Code.ShouldBe(SafetyWarning.PregnancyStatusUnknown);
        warning.Line.ShouldBe(1);
        warning.Message.ShouldContain("ask whether the patient is pregnant or breastfeeding");
    }

    [Theory]
    [InlineData("isotretinoin")]
    [InlineData("warfarin")]
    [InlineData("methotrexate")]
    [InlineData("sodium valproate")]
    [InlineData("atorvastatin")]
    [InlineData("ramipril")]
    [InlineData("telmisartan + amlodipine")]
    [InlineData("sacubitril + valsartan")]
    [InlineData("finasteride")]
    [InlineData("doxycycline")]
    public void A_pregnant_woman_is_warned_of_each_medicine_on_the_contraindication_list(string generic) =>
        Check(Woman(30, PregnancyStatus.Pregnant), generic).ShouldHaveSingleItem().Code.ShouldBe(SafetyWarning.ContraindicatedInPregnancy);

    [Fact]
    public void Breastfeeding_has_its_own_list()
    {
        Check(Woman(30, PregnancyStatus.Breastfeeding), "isotretinoin").ShouldHaveSingleItem().Code.ShouldBe(SafetyWarning.ContraindicatedInBreastfeeding);
        Check(Woman(30, PregnancyStatus.Breastfeeding), "warfarin").ShouldBeEmpty("warfarin is compatible with breastfeeding");
    }

    [Fact]
    public void No_pregnancy_warning_when_not_pregnant_nor_outside_child_bearing_age_nor_for_men()
    {
        Check(Woman(30, PregnancyStatus.NotPregnant), "isotretinoin").ShouldBeEmpty();
        Check(Woman(60, null), "warfarin").ShouldBeEmpty();
        Check(Woman(11, null), "doxycycline").ShouldBeEmpty();
        Check(Man(), "finasteride").ShouldBeEmpty();
    }

    [Fact]
    public void A_child_needs_a_weight_recorded()
    {
        var warning = Check(new PatientSafetyFacts(6, Sex.Male, null, null, []), "paracetamol").ShouldHaveSingleItem();
        warning.Code.ShouldBe(SafetyWarning.WeightMissing);
        warning.Line.ShouldBeNull();
        Check(new PatientSafetyFacts(6, Sex.Male, null, 19.5m, []), "paracetamol").ShouldBeEmpty();
        Check(new PatientSafetyFacts(12, Sex.Male, null, null, []), "paracetamol").ShouldBeEmpty();
    }

    private static PrescribingSafety Safety(int age = 40, Sex sex = Sex.Male, IReadOnlyList<Allergy>? allergies = null,
        IReadOnlyList<SafetyOverride>? overrides = null, AccompanyingAdult? adult = null) =>
        new(age, sex, allergies ?? [], overrides ?? [], adult);

    private static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> Prescribe(Consultation consultation, PrescribingSafety safety, params string[] generics) =>
        ClinicalDecisions.Prescribe(consultation, Doctor, ConsultKind.FirstConsult, [.. generics.Select(Line)], PrescribingHistory.None, safety, Now);

    [Fact]
    public void A_prescription_with_a_warning_is_refused_listing_it_until_overridden_with_a_reason_which_is_recorded()
    {
        var allergic = Safety(allergies: [AllergyTo("penicillin")]);
        var refused = Prescribe(Seen(), allergic, "paracetamol", "amoxicillin").Error;
        refused.Code.ShouldBe("SafetyWarnings");
        refused.Warnings!.ShouldHaveSingleItem().ShouldBe(new SafetyWarning(SafetyWarning.Allergy, 1,
            "amoxicillin: the patient is allergic to penicillin (severe hives and lip swelling, verified by a doctor), which matches its ingredient amoxicillin."));
        refused.Message.ShouldContain("Line 2: amoxicillin: the patient is allergic to penicillin");

        Prescribe(Seen(), allergic with { Overrides = [new SafetyOverride(SafetyWarning.Allergy, 0, "wrong line", "")] }, "paracetamol", "amoxicillin")
            .Error.Code.ShouldBe("SafetyWarnings", "an override answers the warning of its own line only");

        var reason = "Tolerated amoxicillin in 2025 without reaction; allergy history doubtful.";
        var prescribed = Prescribe(Seen(), allergic with { Overrides = [new SafetyOverride(SafetyWarning.Allergy, 1, reason, "")] }, "paracetamol", "amoxicillin")
            .Value.ShouldHaveSingleItem().ShouldBeOfType<MedicinesPrescribed>();
        var recorded = prescribed.Overrides!.ShouldHaveSingleItem();
        recorded.Reason.ShouldBe(reason);
        recorded.Warning.ShouldStartWith("amoxicillin: the patient is allergic to penicillin");
        Consultation.Evolve(Seen(), prescribed).Record.Overrides.ShouldBe([recorded]);
    }

    [Fact]
    public void The_pregnancy_status_recorded_in_the_consultation_is_what_is_checked()
    {
        var woman = Safety(28, Sex.Female);
        Prescribe(Seen(), woman, "isotretinoin").Error.Warnings!.ShouldHaveSingleItem().Code.ShouldBe(SafetyWarning.PregnancyStatusUnknown);
        var notPregnant = Seen(null, new PregnancyStatusRecorded(Id, PregnancyStatus.NotPregnant, Doctor, Now));
        notPregnant.Record.Pregnancy.ShouldBe(PregnancyStatus.NotPregnant);
        Prescribe(notPregnant, woman, "isotretinoin").IsSuccess.ShouldBeTrue();
        var pregnant = Seen(null, new PregnancyStatusRecorded(Id, PregnancyStatus.Pregnant, Doctor, Now));
        Prescribe(pregnant, woman, "isotretinoin").Error.Warnings!.ShouldHaveSingleItem().Code.ShouldBe(SafetyWarning.ContraindicatedInPregnancy);
    }

    [Fact]
    public void The_weight_in_the_consultations_vitals_satisfies_the_child_check()
    {
        var child = Safety(7, adult: Mother);
        Prescribe(Seen(), child, "paracetamol").Error.Warnings!.ShouldHaveSingleItem().Code.ShouldBe(SafetyWarning.WeightMissing);
        var weighed = Seen(null, new VitalsRecorded(Id, new Vitals(null, null, null, null, null, 21m), Doctor, Now));
        Prescribe(weighed, child, "paracetamol").IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void A_minors_prescription_names_the_adult_from_the_check_in_or_one_the_doctor_names()
    {
        Prescribe(Seen(), Safety(15), "paracetamol").Error.Code.ShouldBe("AccompanyingAdultRequired");
        Prescribe(Seen(Mother), Safety(15), "paracetamol").IsSuccess.ShouldBeTrue();
        var named = Prescribe(Seen(), Safety(15, adult: Mother), "paracetamol").Value.ShouldHaveSingleItem().ShouldBeOfType<MedicinesPrescribed>();
        named.AccompaniedBy.ShouldBe(Mother);
        Prescribe(Seen(), Safety(18), "paracetamol").IsSuccess.ShouldBeTrue();
    }

    private static readonly FacilityDetails Facility = new(Guid.NewGuid(), "PHC Rampur", "IN2710000001");
    private static readonly PrescriberDetails Prescriber = new(Doctor, "Dr Asha Rao", "MBBS", "KMC-12345", "Karnataka Medical Council", "71-1234-5678-9012");

    [Fact]
    public void Signing_checks_again_against_allergies_recorded_since_and_keeps_the_overrides()
    {
        var written = Seen(null, new MedicinesPrescribed(Id, ConsultKind.FirstConsult, [Line("ibuprofen")], Doctor, Now));
        var patient = new PatientDetails(Patient, "Ravi", 40, Sex.Male, null, null);
        var nsaids = AllergyTo("NSAIDs");
        PrescriptionRules.Compose(written, Guid.NewGuid(), Facility, Prescriber, patient, Now, allergies: [nsaids]).Error.Code.ShouldBe("SafetyWarnings");

        var overridden = Seen(null, new MedicinesPrescribed(Id, ConsultKind.FirstConsult, [Line("ibuprofen")], Doctor, Now,
            [new SafetyOverride(SafetyWarning.Allergy, 0, "Gastric upset only, not an allergy.", "ibuprofen: …")]));
        PrescriptionRules.Compose(overridden, Guid.NewGuid(), Facility, Prescriber, patient, Now, allergies: [nsaids]).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void A_minors_signed_prescription_names_the_accompanying_adult()
    {
        var written = Seen(Mother, new VitalsRecorded(Id, new Vitals(null, null, null, null, null, 30m), Doctor, Now),
            new MedicinesPrescribed(Id, ConsultKind.FirstConsult, [Line("paracetamol")], Doctor, Now));
        var content = PrescriptionRules.Compose(written, Guid.NewGuid(), Facility, Prescriber, new PatientDetails(Patient, "Arjun", 10, Sex.Male, null, null), Now).Value!;
        content.AccompaniedBy.ShouldBe(Mother);
        PrescriptionSignature.Payload(content).ShouldNotBeEmpty();
    }

    [Fact]
    public void Overrides_need_a_code_and_a_reason()
    {
        var errors = new FieldErrors();
        SafetyChecks.Overrides([new SafetyOverrideInput("Allergy", 0, " "), new SafetyOverrideInput("", null, "because")], errors).ShouldBeEmpty();
        errors.ToDictionary().Keys.ShouldBe(["overrides[0].reason", "overrides[1].code"], ignoreOrder: true);
    }

    [Fact]
    public void Only_a_doctor_verifies_an_allergy()
    {
        var errors = new FieldErrors();
        AllergyRules.Parse(new AllergyInput("Penicillin", "rash", "moderate", true), Guid.NewGuid(), Patient, Patient, byDoctor: false, Now, errors).ShouldBeNull();
        errors.ToDictionary().Keys.ShouldBe(["verified"]);

        var fromDoctor = AllergyRules.Parse(new AllergyInput(" Penicillin ", "rash", "moderate", true), Guid.NewGuid(), Patient, Doctor, byDoctor: true, Now, new FieldErrors())!;
        fromDoctor.Substance.ShouldBe("penicillin");
        fromDoctor.Verified.ShouldBeTrue();
    }

    [Fact]
    public void An_allergy_needs_a_substance_a_reaction_and_a_severity()
    {
        var errors = new FieldErrors();
        AllergyRules.Parse(new AllergyInput(null, "", "bad", null), Guid.NewGuid(), Patient, Patient, byDoctor: false, Now, errors).ShouldBeNull();
        errors.ToDictionary().Keys.ShouldBe(["substance", "reaction", "severity"], ignoreOrder: true);
    }
}
