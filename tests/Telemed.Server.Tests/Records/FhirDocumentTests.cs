using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Telemed.Domain;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;
using Telemed.Domain.Records;
using Telemed.Server.Records;

namespace Telemed.Server.Tests.Records;

public class FhirDocumentTests
{
    private static readonly Guid Id = Guid.Parse("77777777-0000-0000-0000-000000000001");
    private static readonly Guid Doctor = Guid.Parse("77777777-0000-0000-0000-00000000000d");
    private static readonly Guid PatientId = Guid.Parse("77777777-0000-0000-0000-00000000000e");
    private static readonly Guid PrescriptionId = Guid.Parse("77777777-0000-0000-0000-0000000000aa");
    private static readonly DateTimeOffset Start = new(2026, 11, 25, 5, 30, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset End = Start.AddMinutes(12);
    private static readonly DateTimeOffset Now = End.AddSeconds(5);

    private static readonly FacilityDetails Facility = new(Guid.Parse("77777777-0000-0000-0000-0000000000f1"), "PHC Rampur", "IN2710000001");
    private static readonly PrescriberDetails Prescriber =
        new(Doctor, "Dr Asha Rao", "MBBS, MD", "KMC-12345", "Karnataka Medical Council", "71-1234-5678-9012");
    private static readonly PatientDetails Sunita = new(PatientId, "सुनीता देवी", 42, Sex.Female, "91-1234-5678-9012", "sunita@sbx");

    private static readonly PatientContact SunitaContact = new(new DateOnly(1984, 3, 9), "+919812345670");

    private static readonly PrescribedMedicine[] Medicines =
    [
        new("paracetamol", "500 mg", "tablet", "1 tablet", "1-0-1", "oral", 5, 10, "दिन में दो बार खाने के बाद", TpgGroup.O, MedicinePurpose.Start),
        new("cetirizine", "10 mg", "tablet", "1 tablet", "HS", "oral", 5, 5, null, TpgGroup.O, MedicinePurpose.Start),
        new("amoxicillin", "500 mg", "capsule", "1 capsule", "TDS", "oral", 5, 15, "Complete the course", TpgGroup.A, MedicinePurpose.Start),
        new("pantoprazole", "40 mg", "tablet", "1 tablet", "OD", "oral", 5, 5, "Before breakfast", TpgGroup.O, MedicinePurpose.Start),
        new("salbutamol", "100 mcg", "inhaler", "2 puffs", "SOS", "inhalation", 30, 1, "For breathlessness & wheeze", TpgGroup.O, MedicinePurpose.Start),
    ];

    private static readonly Consultation Completed = new IConsultationEvent[]
        {
            new ConsultationStarted(Id, Guid.Parse("77777777-0000-0000-0000-000000000005"), 7, Doctor, PatientId, Start),
            new PatientCameraReported(Id, true, PatientId, Start.AddMinutes(1)),
            new CallConnected(Id, PatientId, Start.AddMinutes(1)),
            new VitalsRecorded(Id, new Vitals(128, 84, 88, 38.4m, 97, 61.5m), Doctor, Start.AddMinutes(3)),
            new NotesRecorded(Id, new ClinicalNotes("Fever for 3 days\nDry cough", "Type 2 diabetes for 5 years", "Throat congested, chest clear",
                "CBC; Dengue NS1 antigen", "Plenty of fluids, rest", new DateOnly(2026, 12, 2)), Doctor, Start.AddMinutes(6)),
            new DiagnosisRecorded(Id, new Diagnosis("Acute viral fever", new CodedConcept(ClinicalRules.Icd10, "B34.9")), Doctor, Start.AddMinutes(8)),
            new MedicinesPrescribed(Id, ConsultKind.FirstConsult, Medicines, Doctor, Start.AddMinutes(10)),
            new PrescriptionIssued(Id, PrescriptionId, End),
            new ConsultationCompleted(Id, Doctor, End),
            new AddendumRecorded(Id, Guid.Parse("77777777-0000-0000-0000-0000000000ad"), "Patient called: fever settled <38 °C", Doctor, End.AddHours(20)),
        }
        .Aggregate((Consultation?)null, Consultation.Evolve)!;

    private static readonly PrescriptionContent Content = PrescriptionRules.Compose(Completed, PrescriptionId, Facility, Prescriber, Sunita, End).Value!;
    private static readonly byte[] Pdf = [.. Encoding.ASCII.GetBytes("%PDF-1.7\n"), .. Enumerable.Range(0, 60 * 1024).Select(i => (byte)(i * 31))];
    private const string Jws = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsxIn0.eyJwcmVzY3JpcHRpb24iOiJ4In0.c2lnbmF0dXJl";

    private static Bundle OpConsult() => FhirDocuments.OpConsultRecord(Completed, Facility, null, Prescriber, Sunita, SunitaContact, Now);

    private static Bundle Prescription() => FhirDocuments.PrescriptionRecord(Content, SunitaContact, Pdf, Jws);

    /// <summary>Lines with structured doses, as the doctor's form sends them: two amounts a day, weekly, as needed, alternate days, once.</summary>
    private static IReadOnlyList<PrescribedMedicine> StructuredLines()
    {
        var errors = new FieldErrors();
        var lines = MedicineRules.Lines([
            new MedicineInput("paracetamol", "500 mg", "tablet", new DoseInput(Morning: 1, Night: 0.5m, Unit: "tablet"), "oral", 5, 8, null),
            new MedicineInput("methotrexate", "2.5 mg", "tablet", new DoseInput(Morning: 3, Unit: "tablet", Regimen: "weekly", Weekday: "monday"), "oral", 28, 12,
                "With folic acid the next day", "refill"),
            new MedicineInput("ibuprofen", "100 mg/5 ml", "suspension",
                new DoseInput(Amount: 5, Unit: "ml", Regimen: "asNeeded", MaxPerDay: 3, MinHoursBetween: 6), "oral", 5, 1, "For pain", null),
            new MedicineInput("cetirizine", "10 mg", "tablet", new DoseInput(Night: 1, Unit: "tablet", Regimen: "alternateDays"), "oral", 10, 5, null),
            new MedicineInput("albendazole", "400 mg", "tablet", new DoseInput(Amount: 1, Unit: "tablet", Regimen: "once"), "oral", 1, 1, null),
        ], MedicineCatalogue.Seeded, errors);
        errors.Any.ShouldBeFalse();
        return lines!;
    }

    private static Bundle StructuredPrescription() => FhirDocuments.PrescriptionRecord(Content with { Medicines = StructuredLines() }, SunitaContact, Pdf, Jws);

    [Fact]
    public void A_structured_dose_gives_the_timing_the_dose_and_the_most_in_a_day()
    {
        var bundle = StructuredPrescription();
        var section = bundle.Entry[0].Resource.ShouldBeOfType<Composition>().Section.ShouldHaveSingleItem();
        var orders = section.Entry.SkipLast(1).Select(r => Resolve<MedicationRequest>(bundle, r)).ToList();

        var paracetamol = orders[0].DosageInstruction;
        paracetamol.Count.ShouldBe(2, "1 tablet in the morning and ½ at night are two dosages of one sequence");
        paracetamol.ShouldAllBe(d => d.Sequence == 1 && d.Text == "1-0-½ tablet, 1-0-½, oral, for 5 days");
        var morning = paracetamol[0];
        morning.Timing.Repeat.When.ShouldBe([Timing.EventTiming.MORN]);
        morning.Timing.Repeat.ShouldSatisfyAllConditions(r => r.Frequency.ShouldBe(1), r => r.Period.ShouldBe(1m), r => r.PeriodUnit.ShouldBe(Timing.UnitsOfTime.D));
        morning.DoseAndRate.ShouldHaveSingleItem().Dose.ShouldBeOfType<Quantity>().ShouldSatisfyAllConditions(
            q => q.Value.ShouldBe(1m), q => q.Unit.ShouldBe("tablet"), q => q.System.ShouldBe("http://unitsofmeasure.org"), q => q.Code.ShouldBe("{tablet}"));
        paracetamol[1].Timing.Repeat.When.ShouldBe([Timing.EventTiming.NIGHT]);
        paracetamol[1].DoseAndRate[0].Dose.ShouldBeOfType<Quantity>().Value.ShouldBe(0.5m);

        var methotrexate = orders[1].DosageInstruction.ShouldHaveSingleItem();
        methotrexate.Timing.Repeat.ShouldSatisfyAllConditions(r => r.Frequency.ShouldBe(1), r => r.Period.ShouldBe(1m),
            r => r.PeriodUnit.ShouldBe(Timing.UnitsOfTime.Wk), r => r.DayOfWeek.ShouldBe([DaysOfWeek.Mon]), r => r.When.ShouldBe([Timing.EventTiming.MORN]));
        methotrexate.DoseAndRate[0].Dose.ShouldBeOfType<Quantity>().ShouldSatisfyAllConditions(q => q.Value.ShouldBe(3m), q => q.Unit.ShouldBe("tablets"));

        var ibuprofen = orders[2].DosageInstruction.ShouldHaveSingleItem();
        ibuprofen.AsNeeded.ShouldBeOfType<FhirBoolean>().Value.ShouldBe(true);
        ibuprofen.Timing.Repeat.ShouldSatisfyAllConditions(r => r.Frequency.ShouldBe(1), r => r.Period.ShouldBe(6m), r => r.PeriodUnit.ShouldBe(Timing.UnitsOfTime.H));
        ibuprofen.DoseAndRate[0].Dose.ShouldBeOfType<Quantity>().ShouldSatisfyAllConditions(q => q.Value.ShouldBe(5m), q => q.Code.ShouldBe("mL"));
        ibuprofen.MaxDosePerPeriod.ShouldSatisfyAllConditions(r => r.Numerator.Value.ShouldBe(15m), r => r.Numerator.Code.ShouldBe("mL"), r => r.Denominator.Code.ShouldBe("d"));

        orders[3].DosageInstruction.ShouldHaveSingleItem().Timing.Repeat.ShouldSatisfyAllConditions(
            r => r.Period.ShouldBe(2m), r => r.PeriodUnit.ShouldBe(Timing.UnitsOfTime.D), r => r.When.ShouldBe([Timing.EventTiming.NIGHT]));
        orders[4].DosageInstruction.ShouldHaveSingleItem().Timing.Repeat.Count.ShouldBe(1);
        FhirDocuments.Problems(bundle).ShouldBeEmpty();
    }

    private static T Single<T>(Bundle bundle) where T : Resource => bundle.Entry.Select(e => e.Resource).OfType<T>().ShouldHaveSingleItem();

    private static T Resolve<T>(Bundle bundle, ResourceReference reference) where T : Resource =>
        bundle.Entry.Where(e => e.FullUrl == reference.Reference).ShouldHaveSingleItem().Resource.ShouldBeOfType<T>();

    public static TheoryData<string> Documents => ["op-consult", "prescription"];

    private static Bundle Build(string document) => document == "op-consult" ? OpConsult() : Prescription();

    /// <summary>Every kind of document bundle Telemed builds, by name.</summary>
    public static TheoryData<string> EveryKindOfDocument =>
        ["op-consult", "op-consult-with-devices", "op-consult-assisted", "op-consult-with-nothing-recorded", "op-consult-with-allergies", "prescription",
            "prescription-assisted", "prescription-structured"];

    internal static Bundle BuildAnyKind(string document) => document switch
    {
        "op-consult" => OpConsult(),
        "op-consult-with-devices" => WithDeviceReadings(),
        "op-consult-assisted" => AssistedOpConsult(),
        "op-consult-with-nothing-recorded" => FhirDocuments.OpConsultRecord(new IConsultationEvent[]
            {
                new ConsultationStarted(Id, Guid.Parse("77777777-0000-0000-0000-000000000005"), 7, Doctor, PatientId, Start),
                new ConsultationCompleted(Id, Doctor, End),
            }.Aggregate((Consultation?)null, Consultation.Evolve)!, Facility, null, Prescriber, Sunita, SunitaContact, Now),
        "op-consult-with-allergies" => WithAllergies(),
        "prescription" => Prescription(),
        "prescription-assisted" => AssistedPrescription(),
        "prescription-structured" => StructuredPrescription(),
        _ => throw new ArgumentOutOfRangeException(nameof(document), document, null),
    };

    /// <summary>The report of a patient with a verified penicillin allergy and a reported sulfa allergy resolved during the visit.</summary>
    private static Bundle WithAllergies()
    {
        var penicillin = new Allergy(Guid.Parse("77777777-0000-0000-0000-0000000000a1"), PatientId, "penicillin", "urticaria", AllergySeverity.Severe, true, Doctor, Start);
        var sulfa = new Allergy(Guid.Parse("77777777-0000-0000-0000-0000000000a2"), PatientId, "sulfa", "rash", AllergySeverity.Mild, false, PatientId, Start.AddDays(-40))
        {
            ResolvedAt = Start.AddMinutes(2), ResolvedBy = Doctor,
        };
        return FhirDocuments.OpConsultRecord(Completed, Facility, null, Prescriber, Sunita, SunitaContact, Now, [sulfa, penicillin]);
    }

    [Fact]
    public void The_consultation_report_lists_the_patients_allergies_as_AllergyIntolerance()
    {
        var bundle = WithAllergies();

        FhirDocuments.Problems(bundle).ShouldBeEmpty();
        var section = Single<Composition>(bundle).Section.Single(s => s.Title == "Allergies");
        section.Code.Coding.ShouldHaveSingleItem().Code.ShouldBe("722446000");
        var listed = section.Entry.Select(e => Resolve<AllergyIntolerance>(bundle, e)).ToList();
        listed.Select(a => a.Code.Text).ShouldBe(["sulfa", "penicillin"]);
        listed.Select(a => a.ClinicalStatus.Coding[0].Code).ShouldBe(["resolved", "active"]);
        listed.Select(a => a.VerificationStatus.Coding[0].Code).ShouldBe(["unconfirmed", "confirmed"]);
        listed[1].Reaction.ShouldHaveSingleItem().Severity.ShouldBe(AllergyIntolerance.AllergyIntoleranceSeverity.Severe);
        listed[1].Reaction[0].Manifestation.ShouldHaveSingleItem().Text.ShouldBe("urticaria");
        listed[1].Patient.Reference.ShouldBe(Single<Composition>(bundle).Subject.Reference);
        Single<Composition>(OpConsult()).Section.ShouldNotContain(s => s.Title == "Allergies", "no allergies on record, no section");
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void A_document_parses_back_to_the_same_json_and_has_no_problems(string document)
    {
        var bundle = Build(document);
        var json = FhirDocuments.ToJson(bundle);

        var parsed = new FhirJsonDeserializer(new DeserializerSettings()).Deserialize<Bundle>(json);

        FhirDocuments.ToJson(parsed).ShouldBe(json);
        FhirDocuments.Problems(bundle).ShouldBeEmpty();
        FhirDocuments.Problems(parsed).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void The_same_record_always_gives_the_same_document(string document)
    {
        FhirDocuments.ToJson(Build(document)).ShouldBe(FhirDocuments.ToJson(Build(document)));
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void Every_entry_has_a_uuid_url_its_id_and_narrative(string document)
    {
        var bundle = Build(document);

        bundle.Type.ShouldBe(Bundle.BundleType.Document);
        bundle.Meta.Profile.ShouldBe(["https://nrces.in/ndhm/fhir/r4/StructureDefinition/DocumentBundle"]);
        bundle.Meta.VersionId.ShouldNotBeNull();
        bundle.Meta.Security.ShouldHaveSingleItem().Code.ShouldBe("V");
        bundle.Identifier.Value.ShouldStartWith("urn:uuid:");
        bundle.Entry[0].Resource.ShouldBeOfType<Composition>();
        bundle.Entry.Select(e => e.FullUrl).ShouldBeUnique();
        foreach (var entry in bundle.Entry)
        {
            entry.FullUrl.ShouldBe($"urn:uuid:{entry.Resource.Id}");
            Guid.TryParse(entry.Resource.Id, out _).ShouldBeTrue();
            if (entry.Resource is DomainResource resource)
            {
                resource.Text.Status.ShouldBe(Narrative.NarrativeStatus.Generated);
                resource.Text.Div.ShouldStartWith("<div xmlns=\"http://www.w3.org/1999/xhtml\">");
            }
        }
    }

    [Fact]
    public void The_consultation_report_is_an_OPConsultRecord_with_the_NRCeS_sections()
    {
        var bundle = OpConsult();
        var composition = bundle.Entry[0].Resource.ShouldBeOfType<Composition>();

        composition.Meta.Profile.ShouldBe(["https://nrces.in/ndhm/fhir/r4/StructureDefinition/OPConsultRecord"]);
        composition.Status.ShouldBe(CompositionStatus.Final);
        composition.Type.Coding.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            c => c.System.ShouldBe("http://snomed.info/sct"), c => c.Code.ShouldBe("371530004"), c => c.Display.ShouldBe("Clinical consultation report"));
        composition.Title.ShouldBe("Consultation Report");
        composition.Date.ShouldBe(new FhirDateTime(End).Value);
        Resolve<Patient>(bundle, composition.Subject);
        Resolve<Practitioner>(bundle, composition.Author.ShouldHaveSingleItem());
        var attester = composition.Attester.ShouldHaveSingleItem();
        attester.Mode.ShouldBe(Composition.CompositionAttestationMode.Professional);
        Resolve<Practitioner>(bundle, attester.Party);
        Resolve<Organization>(bundle, composition.Custodian);
        var encounter = Resolve<Encounter>(bundle, composition.Encounter);
        encounter.Class.Code.ShouldBe("VR");
        encounter.Status.ShouldBe(Encounter.EncounterStatus.Finished);
        encounter.Period.Start.ShouldBe(new FhirDateTime(Start).Value);

        composition.Section.Select(s => s.Code.Coding.FirstOrDefault()?.Code).ShouldBe(
            ["422843007", "371529009", "425044008", "721963009", "721912009", "390906007", null, null]);
        var sections = composition.Section.ToDictionary(s => s.Title!);
        sections["Chief complaints"].Entry.Select(r => Resolve<Condition>(bundle, r).Code.Text).ShouldBe(["Fever for 3 days", "Dry cough"]);
        sections["Investigation Advice"].Entry.Select(r => Resolve<ServiceRequest>(bundle, r).Code.Text).ShouldBe(["CBC", "Dengue NS1 antigen"]);
        sections["Medications"].Entry.Select(r => Resolve<MedicationRequest>(bundle, r)).Count().ShouldBe(Medicines.Length);
        var followUp = Resolve<Appointment>(bundle, sections["Follow Up"].Entry.ShouldHaveSingleItem());
        followUp.RequestedPeriod.ShouldHaveSingleItem().Start.ShouldBe("2026-12-02");
        sections["Advice"].Text.Div.ShouldContain("Plenty of fluids, rest");
        sections["Addenda"].Text.Div.ShouldContain("Patient called: fever settled &lt;38");
    }

    [Fact]
    public void Vitals_are_LOINC_observations_in_UCUM_units_with_blood_pressure_as_a_panel()
    {
        var bundle = OpConsult();
        var examination = bundle.Entry[0].Resource.ShouldBeOfType<Composition>().Section.Single(s => s.Title == "Physical examination");
        var observations = examination.Entry.Select(r => Resolve<Observation>(bundle, r)).ToDictionary(o => o.Code.Coding[0].Code!);

        observations.Keys.ShouldBe(["85354-9", "8867-4", "8310-5", "59408-5", "29463-7", "29545-1"]);
        var panel = observations["85354-9"];
        panel.Value.ShouldBeNull();
        panel.Component.Select(c => (c.Code.Coding[0].Code, c.Value.ShouldBeOfType<Quantity>().Value, c.Value.ShouldBeOfType<Quantity>().Code))
            .ShouldBe([("8480-6", 128m, "mm[Hg]"), ("8462-4", 84m, "mm[Hg]")]);
        Quantity Value(string code) => observations[code].Value.ShouldBeOfType<Quantity>();
        (Value("8867-4").Value, Value("8867-4").Code).ShouldBe((88m, "/min"));
        (Value("8310-5").Value, Value("8310-5").Code).ShouldBe((38.4m, "Cel"));
        (Value("59408-5").Value, Value("59408-5").Code).ShouldBe((97m, "%"));
        (Value("29463-7").Value, Value("29463-7").Code).ShouldBe((61.5m, "kg"));
        Value("29463-7").System.ShouldBe("http://unitsofmeasure.org");
        observations["85354-9"].Category.ShouldHaveSingleItem().Coding[0].Code.ShouldBe("vital-signs");
        observations["29545-1"].Value.ShouldBeOfType<FhirString>().Value.ShouldBe("Throat congested, chest clear");
    }

    private static readonly Guid Kiosk = Guid.Parse("77777777-0000-0000-0000-0000000000de");

    /// <summary>The completed consultation with readings from a kiosk device and from a glucometer read in the patient's browser.</summary>
    private static Bundle WithDeviceReadings() => FhirDocuments.OpConsultRecord(
        new IConsultationEvent[]
        {
            new ConsultationStarted(Id, Guid.Parse("77777777-0000-0000-0000-000000000005"), 7, Doctor, PatientId, Start),
            new DeviceVitalsRecorded(Id, new DeviceObservation("bp-1", new DeviceSource(Kiosk, "OPD kiosk cuff", null), new Vitals(132, 86, 74, null, null, null),
                null, Start.AddMinutes(2), []), Kiosk, Start.AddMinutes(2)),
            new DeviceVitalsRecorded(Id, new DeviceObservation("g-1", new DeviceSource(null, "Accu-Chek Guide", "0x2A18"), null, 99.1m, null,
                ["deviceBatteryLow"]), PatientId, Start.AddMinutes(4)),
            new ConsultationCompleted(Id, Doctor, End),
        }.Aggregate((Consultation?)null, Consultation.Evolve)!, Facility, null, Prescriber, Sunita, SunitaContact, Now);

    [Fact]
    public void Device_readings_are_vital_sign_observations_that_name_their_device()
    {
        var bundle = WithDeviceReadings();
        FhirDocuments.Problems(bundle).ShouldBeEmpty();
        FhirDocuments.ToJson(WithDeviceReadings()).ShouldBe(FhirDocuments.ToJson(bundle));
        var examination = bundle.Entry[0].Resource.ShouldBeOfType<Composition>().Section.Single(s => s.Title == "Physical examination");
        var observations = examination.Entry.Select(r => Resolve<Observation>(bundle, r)).ToList();

        observations.Select(o => o.Code.Coding[0].Code).ShouldBe(["85354-9", "8867-4", "2339-0"]);
        observations.ShouldAllBe(o => o.Device != null && o.Identifier.Count == 1 && o.Performer.Count == 0);
        var kiosk = Resolve<Device>(bundle, observations[0].Device);
        kiosk.Identifier.ShouldHaveSingleItem().Value.ShouldBe($"urn:uuid:{Kiosk}");
        kiosk.DeviceName.ShouldHaveSingleItem().Name.ShouldBe("OPD kiosk cuff");
        Resolve<Device>(bundle, observations[1].Device).ShouldBeSameAs(kiosk);
        observations[0].Effective.ShouldBeOfType<FhirDateTime>().ToDateTimeOffset(TimeSpan.Zero).ShouldBe(Start.AddMinutes(2));
        var glucose = observations[2];
        (glucose.Value.ShouldBeOfType<Quantity>().Value, glucose.Value.ShouldBeOfType<Quantity>().Code, glucose.Value.ShouldBeOfType<Quantity>().System)
            .ShouldBe((99.1m, "mg/dL", "http://unitsofmeasure.org"));
        Resolve<Device>(bundle, glucose.Device).DeviceName[0].Name.ShouldBe("Accu-Chek Guide");
        bundle.Entry.Select(e => e.Resource).OfType<Device>().Count().ShouldBe(2);
    }

    private static readonly Guid HealthWorker = Guid.Parse("77777777-0000-0000-0000-0000000000b0");
    private static readonly FacilityDetails Spoke = new(Guid.Parse("77777777-0000-0000-0000-0000000000f2"), "HWC Rampur Khurd", "IN2710000002");

    /// <summary>A consultation a health worker assisted at the spoke, taking the vitals.</summary>
    private static Bundle AssistedOpConsult() => FhirDocuments.OpConsultRecord(new IConsultationEvent[]
        {
            new ConsultationStarted(Id, Guid.Parse("77777777-0000-0000-0000-000000000005"), 7, Doctor, PatientId, Start, HealthWorkerId: HealthWorker,
                HealthWorker: new AssistingHealthWorker("Asha Kumari", Telemed.Domain.Spokes.Cadre.Anm, Spoke.Id, Spoke.Name)),
            new VitalsRecorded(Id, new Vitals(124, 80, null, 38.4m, null, null), HealthWorker, Start),
            new ConsultationCompleted(Id, Doctor, End),
        }.Aggregate((Consultation?)null, Consultation.Evolve)!, Facility, Spoke, Prescriber, Sunita, SunitaContact, Now);

    [Fact]
    public void An_assisted_consultation_names_its_health_worker_in_their_role_at_the_spoke()
    {
        var bundle = AssistedOpConsult();

        FhirDocuments.Problems(bundle).ShouldBeEmpty();
        var composition = bundle.Entry[0].Resource.ShouldBeOfType<Composition>();
        var role = Resolve<PractitionerRole>(bundle, composition.Author.Where(a => a.Type == "PractitionerRole").ShouldHaveSingleItem());
        var worker = Resolve<Practitioner>(bundle, role.Practitioner);
        worker.Name.ShouldHaveSingleItem().Text.ShouldBe("Asha Kumari");
        worker.Identifier.ShouldHaveSingleItem().Value.ShouldBe($"urn:uuid:{HealthWorker}");
        role.Code.ShouldHaveSingleItem().Text.ShouldBe("ANM");
        Resolve<Organization>(bundle, role.Organization).ShouldSatisfyAllConditions(
            o => o.Name.ShouldBe("HWC Rampur Khurd"), o => o.Identifier.ShouldHaveSingleItem().Value.ShouldBe("IN2710000002"));
        Resolve<Organization>(bundle, composition.Custodian).Name.ShouldBe("PHC Rampur");
        var participant = Single<Encounter>(bundle).Participant.Where(p => p.Type.Count > 0).ShouldHaveSingleItem();
        participant.Type[0].Coding.ShouldHaveSingleItem().Code.ShouldBe("SPRF");
        Resolve<PractitionerRole>(bundle, participant.Individual).ShouldBeSameAs(role);
        var vitals = bundle.Entry.Select(e => e.Resource).OfType<Observation>().ToList();
        vitals.Count.ShouldBe(2);
        vitals.ShouldAllBe(o => o.Performer.Single().Reference == participant.Individual.Reference, "the health worker took the vitals");
        composition.Text.Div.ShouldContain("Assisted by Asha Kumari (ANM) at HWC Rampur Khurd");

        Single<Organization>(OpConsult()).Name.ShouldBe("PHC Rampur");
        OpConsult().Entry.Select(e => e.Resource).OfType<PractitionerRole>().ShouldBeEmpty();
    }

    private static readonly Consultation AssistedWithPrescription = new IConsultationEvent[]
        {
            new ConsultationStarted(Id, Guid.Parse("77777777-0000-0000-0000-000000000005"), 7, Doctor, PatientId, Start, HealthWorkerId: HealthWorker,
                HealthWorker: new AssistingHealthWorker("Asha Kumari", Telemed.Domain.Spokes.Cadre.Anm, Spoke.Id, Spoke.Name)),
            new DiagnosisRecorded(Id, new Diagnosis("Acute viral fever", new CodedConcept(ClinicalRules.Icd10, "B34.9")), Doctor, Start.AddMinutes(8)),
            new MedicinesPrescribed(Id, ConsultKind.FirstConsult, Medicines[..1], Doctor, Start.AddMinutes(10)),
            new ConsultationCompleted(Id, Doctor, End),
        }.Aggregate((Consultation?)null, Consultation.Evolve)!;

    private static Bundle AssistedPrescription() => FhirDocuments.PrescriptionRecord(
        PrescriptionRules.Compose(AssistedWithPrescription, PrescriptionId, Facility, Prescriber, Sunita, End, spoke: Spoke).Value!, SunitaContact, Pdf, Jws);

    [Fact]
    public void An_assisted_consultation_s_prescription_names_the_health_worker_at_the_spoke_beside_the_doctor_and_their_HPR_ID()
    {
        var assisted = AssistedWithPrescription;
        var content = PrescriptionRules.Compose(assisted, PrescriptionId, Facility, Prescriber, Sunita, End, spoke: Spoke).Value!;
        content.AssistedBy.ShouldBe(new PrescriptionHealthWorker(HealthWorker, "Asha Kumari", Telemed.Domain.Spokes.Cadre.Anm, Spoke));

        var bundle = AssistedPrescription();

        FhirDocuments.Problems(bundle).ShouldBeEmpty();
        var composition = bundle.Entry[0].Resource.ShouldBeOfType<Composition>();
        Resolve<Practitioner>(bundle, composition.Author.ShouldHaveSingleItem()).Identifier[0].Value.ShouldBe("71-1234-5678-9012", "the doctor alone signs and authors it");
        var encounter = Resolve<Encounter>(bundle, composition.Encounter);
        var participant = encounter.Participant.Where(p => p.Type.Count > 0).ShouldHaveSingleItem();
        participant.Type[0].Coding.ShouldHaveSingleItem().Code.ShouldBe("SPRF");
        var role = Resolve<PractitionerRole>(bundle, participant.Individual);
        Resolve<Practitioner>(bundle, role.Practitioner).Identifier.ShouldHaveSingleItem().Value.ShouldBe($"urn:uuid:{HealthWorker}");
        role.Code.ShouldHaveSingleItem().Text.ShouldBe("ANM");
        Resolve<Organization>(bundle, role.Organization).Identifier.ShouldHaveSingleItem().Value.ShouldBe("IN2710000002");
        composition.Text.Div.ShouldContain("Assisted by Asha Kumari (ANM) at HWC Rampur Khurd");
        composition.Text.Div.ShouldContain("HPR ID 71-1234-5678-9012");

        Prescription().Entry.Select(e => e.Resource).OfType<PractitionerRole>().ShouldBeEmpty();
        Prescription().Entry[0].Resource.ShouldBeOfType<Composition>().Encounter.ShouldBeNull();
        PrescriptionRules.Compose(assisted, PrescriptionId, Facility, Prescriber, Sunita, End).Value!.AssistedBy.ShouldBeNull("no spoke on record, no health worker named");
    }

    [Fact]
    public void The_diagnosis_is_an_encounter_diagnosis_with_its_ICD10_code()
    {
        var bundle = OpConsult();
        var diagnosis = Resolve<Condition>(bundle, Single<Encounter>(bundle).Diagnosis.ShouldHaveSingleItem().Condition);

        diagnosis.Category.ShouldHaveSingleItem().Coding[0].Code.ShouldBe("encounter-diagnosis");
        diagnosis.Code.Text.ShouldBe("Acute viral fever");
        diagnosis.Code.Coding.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            c => c.System.ShouldBe("http://hl7.org/fhir/sid/icd-10"), c => c.Code.ShouldBe("B34.9"));

        var snomed = FhirDocuments.OpConsultRecord(
            Consultation.Evolve(Completed, new DiagnosisRecorded(Id, new Diagnosis("Common cold", new CodedConcept(ClinicalRules.Snomed, "82272006")), Doctor, End)),
            Facility, null, Prescriber, Sunita, SunitaContact, Now);
        Single<Condition>(snomed, c => c.Category.Count > 0).Code.Coding.ShouldHaveSingleItem().System.ShouldBe("http://snomed.info/sct");
    }

    [Theory]
    [MemberData(nameof(Documents))]
    public void The_patient_doctor_and_facility_carry_their_ABDM_identifiers(string document)
    {
        var bundle = Build(document);

        var patient = Single<Patient>(bundle);
        var abha = patient.Identifier.Where(i => i.System == "https://healthid.ndhm.gov.in").ToList();
        abha.Select(i => (i.Type.Coding[0].Code, i.Value)).ShouldBe([("HIN", "91-1234-5678-9012"), ("ABHA", "sunita@sbx")]);
        patient.Name.ShouldHaveSingleItem().Text.ShouldBe("सुनीता देवी");
        patient.Gender.ShouldBe(AdministrativeGender.Female);
        patient.BirthDate.ShouldBe("1984-03-09");
        patient.Telecom.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            t => t.System.ShouldBe(ContactPoint.ContactPointSystem.Phone), t => t.Use.ShouldBe(ContactPoint.ContactPointUse.Mobile), t => t.Value.ShouldBe("+919812345670"));

        var practitioner = Single<Practitioner>(bundle);
        practitioner.Identifier.ShouldContain(i => i.System == "https://doctor.ndhm.gov.in" && i.Value == "71-1234-5678-9012");
        practitioner.Identifier.ShouldContain(i => i.Value == "KMC-12345" && i.Assigner.Display == "Karnataka Medical Council");
        practitioner.Qualification.ShouldHaveSingleItem().Code.Text.ShouldBe("MBBS, MD");

        Single<Organization>(bundle).Identifier.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            i => i.System.ShouldBe("https://facility.ndhm.gov.in"), i => i.Value.ShouldBe("IN2710000001"));
    }

    [Fact]
    public void A_patient_without_ABHA_still_has_a_record_identifier()
    {
        var bundle = FhirDocuments.OpConsultRecord(Completed, Facility, null, Prescriber, Sunita with { AbhaNumber = null, AbhaAddress = null }, new PatientContact(null, null), Now);

        Single<Patient>(bundle).Identifier.ShouldHaveSingleItem().Value.ShouldBe($"urn:uuid:{PatientId}");
        Single<Patient>(bundle).BirthDate.ShouldBeNull("only an age is known: a year guessed from it would be a wrong birth date");
        Single<Patient>(bundle).Telecom.ShouldBeEmpty();
        FhirDocuments.Problems(bundle).ShouldBeEmpty();
    }

    [Fact]
    public void The_prescription_is_a_PrescriptionRecord_of_one_order_per_medicine_and_the_signed_pdf()
    {
        var bundle = Prescription();
        var composition = bundle.Entry[0].Resource.ShouldBeOfType<Composition>();

        composition.Meta.Profile.ShouldBe(["https://nrces.in/ndhm/fhir/r4/StructureDefinition/PrescriptionRecord"]);
        composition.Type.Coding.ShouldHaveSingleItem().Code.ShouldBe("440545006");
        var section = composition.Section.ShouldHaveSingleItem();
        section.Code.Coding.ShouldHaveSingleItem().Code.ShouldBe("440545006");
        section.Entry.Select(r => r.Type).ShouldBe([.. Enumerable.Repeat("MedicationRequest", Medicines.Length), "Binary"]);

        var orders = section.Entry.Take(Medicines.Length).Select(r => Resolve<MedicationRequest>(bundle, r)).ToList();
        orders.Select(o => o.DispenseRequest.Quantity.Value).ShouldBe([10m, 5m, 15m, 5m, 1m]);
        orders.Select(o => ((CodeableConcept)o.Medication).Text).ShouldBe(
            ["paracetamol 500 mg tablet", "cetirizine 10 mg tablet", "amoxicillin 500 mg capsule", "pantoprazole 40 mg tablet", "salbutamol 100 mcg inhaler"]);
        foreach (var order in orders)
        {
            Resolve<Patient>(bundle, order.Subject);
            Resolve<Practitioner>(bundle, order.Requester);
            Resolve<Condition>(bundle, order.ReasonReference.ShouldHaveSingleItem()).Code.Text.ShouldBe("Acute viral fever");
            order.AuthoredOn.ShouldBe(new FhirDateTime(End).Value);
            order.GroupIdentifier.Value.ShouldBe($"urn:uuid:{PrescriptionId}");
        }
        var paracetamol = orders[0];
        paracetamol.DispenseRequest.ExpectedSupplyDuration.ShouldSatisfyAllConditions(d => d.Value.ShouldBe(5m), d => d.Code.ShouldBe("d"));
        var dosage = paracetamol.DosageInstruction.ShouldHaveSingleItem();
        dosage.Text.ShouldBe("1 tablet, 1-0-1, oral, for 5 days. दिन में दो बार खाने के बाद");
        dosage.Route.Coding.ShouldHaveSingleItem().Code.ShouldBe("26643006");
        dosage.Timing.Repeat.ShouldSatisfyAllConditions(
            r => r.Frequency.ShouldBe(2), r => r.Period.ShouldBe(1m), r => r.PeriodUnit.ShouldBe(Timing.UnitsOfTime.D),
            r => r.When.ShouldBe([Timing.EventTiming.MORN, Timing.EventTiming.NIGHT]),
            r => r.Bounds.ShouldBeOfType<Duration>().Value.ShouldBe(5m));
        orders[1].DosageInstruction[0].Timing.Repeat.When.ShouldBe([Timing.EventTiming.HS]);
        orders[2].DosageInstruction[0].Timing.Repeat.Frequency.ShouldBe(3);
        orders[3].DosageInstruction[0].Timing.Repeat.Frequency.ShouldBe(1);
        orders[4].DosageInstruction[0].AsNeeded.ShouldBeOfType<FhirBoolean>().Value.ShouldBe(true);

        var binary = Resolve<Binary>(bundle, section.Entry[^1]);
        binary.ContentType.ShouldBe("application/pdf");
        binary.Data.ShouldBe(Pdf);
    }

    [Fact]
    public void The_prescription_bundle_is_signed_by_the_doctor_with_the_JWS()
    {
        var bundle = Prescription();

        bundle.Signature.Type.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            c => c.System.ShouldBe("urn:iso-astm:E1762-95:2013"), c => c.Code.ShouldBe("1.2.840.10065.1.12.1.1"));
        bundle.Signature.SigFormat.ShouldBe("application/jose");
        Encoding.UTF8.GetString(bundle.Signature.Data).ShouldBe(Jws);
        bundle.Signature.When.ShouldBe(End);
        Resolve<Practitioner>(bundle, bundle.Signature.Who.ShouldBeOfType<ResourceReference>());
    }

    [Fact]
    public void A_dangling_reference_and_a_misplaced_composition_are_problems()
    {
        var bundle = OpConsult();
        var lost = bundle.Entry.Single(e => e.Resource is Organization);
        bundle.Entry.Remove(lost);

        FhirDocuments.Problems(bundle).ShouldContain(p => p.Contains(lost.FullUrl, StringComparison.Ordinal) && p.Contains("not an entry", StringComparison.Ordinal));

        var composition = bundle.Entry[0];
        bundle.Entry.RemoveAt(0);
        bundle.Entry.Add(composition);
        FhirDocuments.Problems(bundle).ShouldContain("The first entry of a document must be its Composition.");
    }

    [Fact]
    public void A_missing_required_element_is_a_problem()
    {
        var bundle = Prescription();
        Single<Binary>(bundle).ContentType = null;

        FhirDocuments.Problems(bundle).ShouldContain(p => p.Contains("contentType", StringComparison.OrdinalIgnoreCase));
    }

    private static T Single<T>(Bundle bundle, Func<T, bool> where) where T : Resource =>
        bundle.Entry.Select(e => e.Resource).OfType<T>().Where(where).ShouldHaveSingleItem();
}
