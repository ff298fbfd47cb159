using Telemed.Domain.Consultations;
using Telemed.Domain.Prescriptions;

namespace Telemed.Domain.Tests.Prescriptions;

/// <summary>
/// TPG 2020 (Board of Governors in supersession of the MCI, 25 March 2020), section 3.7.4's matrix and its annex of
/// medicine lists: each rule with the annex example it comes from.
/// </summary>
public class TpgTests
{
    private static readonly Guid Id = Guid.Parse("77777777-0000-0000-0000-000000000001");
    private static readonly Guid Doctor = Guid.Parse("77777777-0000-0000-0000-00000000000d");
    private static readonly Guid OtherDoctor = Guid.Parse("77777777-0000-0000-0000-00000000000f");
    private static readonly Guid Patient = Guid.Parse("77777777-0000-0000-0000-00000000000e");
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);
    private static readonly ConsultationStarted Started = new(Id, Guid.NewGuid(), 1, Doctor, Patient, Now);
    private static readonly Diagnosis Hypertension = new("Essential hypertension", new CodedConcept("icd10", "I10"));
    private static readonly Diagnosis Tinea = new("Tinea cruris", new CodedConcept("icd10", "B35.6"));

    /// <summary>The hypertension this doctor treated two months ago with enalapril and atenolol, and a tinea treated with clotrimazole.</summary>
    private static readonly PrescribingHistory Treated = new([
        new EarlierVisit(Guid.NewGuid(), Doctor, Now.AddMonths(-2), Hypertension, ["enalapril", "atenolol"]),
        new EarlierVisit(Guid.NewGuid(), Doctor, Now.AddDays(-10), Tinea, ["clotrimazole"]),
    ]);

    private static Consultation Given(params IConsultationEvent[] events) => events.Aggregate((Consultation?)null, Consultation.Evolve)!;

    private static Consultation Chat => Given(Started);

    private static Consultation AudioOnly => Given(Started, new CallModeChanged(Id, CallMode.AudioOnly, Doctor, Now), new CallConnected(Id, Patient, Now));

    private static Consultation SeenOnVideo => Given(Started, new PatientCameraReported(Id, true, Patient, Now), new CallConnected(Id, Patient, Now));

    private static Consultation Diagnosed(Consultation consultation, Diagnosis diagnosis) =>
        Consultation.Evolve(consultation, new DiagnosisRecorded(Id, diagnosis, Doctor, Now));

    private static PrescribedMedicine Line(string generic, string purpose = "start")
    {
        var errors = new FieldErrors();
        var form = MedicineCatalogue.Seeded.Find(generic)!.Forms[0];
        var lines = MedicineRules.Lines([new MedicineInput(generic, "5 mg", form, new DoseInput(Morning: 1, Night: 1, Unit: DoseUnits.ForForm(form)[0]), "oral", 5, 10, null, purpose)], MedicineCatalogue.Seeded, errors);
        errors.Any.ShouldBeFalse(string.Join("; ", errors.ToDictionary().SelectMany(e => e.Value)));
        return lines![0];
    }

    private static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> Prescribe(
        Consultation consultation, ConsultKind kind, PrescribingHistory history, params PrescribedMedicine[] lines) =>
        ClinicalDecisions.Prescribe(consultation, Doctor, kind, lines, history, Adult, Now);

    /// <summary>A man of forty with no allergies: nothing for the safety checks to say.</summary>
    private static readonly PrescribingSafety Adult = new(40, Domain.Identity.Sex.Male, [], [], null);

    [Theory]
    [InlineData("paracetamol")]
    [InlineData("dextromethorphan")]
    [InlineData("oral rehydration salts")]
    public void List_O_over_the_counter_medicines_in_any_mode(string generic) =>
        Prescribe(Chat, ConsultKind.FirstConsult, PrescribingHistory.None, Line(generic)).IsSuccess.ShouldBeTrue();

    [Fact]
    public void List_A_is_started_only_when_the_patient_was_seen_on_video()
    {
        // Annex List A: "ointments/lotion for skin ailments: clotrimazole, mupirocin, calamine lotion".
        var calamine = Line("calamine");
        calamine.List.ShouldBe(TpgList.A);
        Prescribe(SeenOnVideo, ConsultKind.FirstConsult, PrescribingHistory.None, calamine).IsSuccess.ShouldBeTrue();
        Prescribe(Chat, ConsultKind.FirstConsult, PrescribingHistory.None, calamine).Error.Message.ShouldContain("chat");
        Prescribe(AudioOnly, ConsultKind.FirstConsult, PrescribingHistory.None, calamine).Error.Message.ShouldContain("audio-only");
    }

    [Fact]
    public void A_video_room_is_not_seeing_the_patient_until_their_camera_is_on()
    {
        var cameraNeverOn = Given(Started, new CallConnected(Id, Patient, Now));
        cameraNeverOn.Medium.ShouldBe(ConsultationMedium.AudioOnly);
        Prescribe(cameraNeverOn, ConsultKind.FirstConsult, PrescribingHistory.None, Line("mupirocin")).Error.Code.ShouldBe("NotAllowedByTpg");

        var cameraOnLater = Consultation.Evolve(cameraNeverOn, new PatientCameraReported(Id, true, Patient, Now));
        cameraOnLater.Medium.ShouldBe(ConsultationMedium.Video);
        var cameraOffAgain = Consultation.Evolve(cameraOnLater, new PatientCameraReported(Id, false, Patient, Now));
        cameraOffAgain.Medium.ShouldBe(ConsultationMedium.Video, "once seen, the patient was seen");

        var cameraOnBeforeAudioOnly = Given(Started, new PatientCameraReported(Id, true, Patient, Now), new CallModeChanged(Id, CallMode.AudioOnly, Doctor, Now),
            new CallConnected(Id, Patient, Now));
        cameraOnBeforeAudioOnly.Medium.ShouldBe(ConsultationMedium.AudioOnly);
    }

    [Fact]
    public void Only_the_patients_side_of_the_call_reports_the_camera_that_counts()
    {
        var joined = Given(Started, new ParticipantJoined(Id, Patient, ParticipantRole.Patient, Now), new ParticipantJoined(Id, Doctor, ParticipantRole.Doctor, Now));
        ConsultationDecisions.ReportCamera(joined, Doctor, true, Now).Value.ShouldBeEmpty();
        ConsultationDecisions.ReportCamera(joined, Patient, true, Now).Value.ShouldBe([new PatientCameraReported(Id, true, Patient, Now)]);
        ConsultationDecisions.ReportCamera(Consultation.Evolve(joined, new PatientCameraReported(Id, true, Patient, Now)), Patient, true, Now).Value.ShouldBeEmpty();
        ConsultationDecisions.ReportCamera(Given(Started), Patient, true, Now).Error.ShouldBe(ConsultationError.NotInRoom);
    }

    [Fact]
    public void A_chronic_disease_medicine_is_refilled_on_a_follow_up_in_any_mode()
    {
        // Annex List A: "follow-up medications for chronic illnesses for re-fill (on any mode of consultation): hypertension: enalapril, atenolol".
        var atenolol = Line("atenolol", "refill");
        atenolol.List.ShouldBe(TpgList.A);
        Prescribe(Diagnosed(AudioOnly, Hypertension), ConsultKind.FollowUp, Treated, atenolol).IsSuccess.ShouldBeTrue();
        Prescribe(Diagnosed(Chat, Hypertension), ConsultKind.FollowUp, Treated, Line("enalapril", "refill")).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void A_refill_needs_the_medicine_in_an_earlier_prescription_and_a_follow_up()
    {
        Prescribe(Diagnosed(AudioOnly, Hypertension), ConsultKind.FollowUp, Treated, Line("amlodipine", "refill"))
            .Error.Message.ShouldContain("no earlier prescription for this patient holds it");
        Prescribe(Diagnosed(SeenOnVideo, Hypertension), ConsultKind.FirstConsult, Treated, Line("atenolol", "refill"))
            .Error.Message.ShouldContain("on a follow-up only");
    }

    [Fact]
    public void Continuing_a_video_diagnosed_medicine_still_needs_video()
    {
        Prescribe(Diagnosed(AudioOnly, Tinea), ConsultKind.FollowUp, Treated, Line("clotrimazole", "refill")).Error.Message.ShouldContain("continuing it needs");
        Prescribe(Diagnosed(SeenOnVideo, Tinea), ConsultKind.FollowUp, Treated, Line("clotrimazole", "refill")).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void A_chronic_disease_medicine_is_never_started_by_telemedicine()
    {
        var errors = new FieldErrors();
        MedicineRules.Lines([new MedicineInput("metformin", "500 mg", "tablet", new DoseInput(Morning: 1, Night: 1, Unit: "tablet"), "oral", 30, 60, null)], MedicineCatalogue.Seeded, errors)
            .ShouldBeNull();
        errors.ToDictionary()["medicines[0].purpose"][0].ShouldContain("in person");
    }

    [Fact]
    public void List_B_adds_on_to_existing_therapy_on_a_follow_up()
    {
        // Annex List B: "add-on of thiazide diuretic with atenolol" for hypertension not controlled.
        var thiazide = Line("hydrochlorothiazide", "addOn");
        thiazide.List.ShouldBe(TpgList.B);
        Prescribe(Diagnosed(AudioOnly, Hypertension), ConsultKind.FollowUp, Treated, thiazide).IsSuccess.ShouldBeTrue();
        Prescribe(Diagnosed(AudioOnly, Hypertension), ConsultKind.FirstConsult, Treated, thiazide).Error.Message.ShouldContain("on a follow-up only");

        var untreated = new PrescribingHistory([new EarlierVisit(Guid.NewGuid(), Doctor, Now.AddMonths(-1), Hypertension, [])]);
        Prescribe(Diagnosed(AudioOnly, Hypertension), ConsultKind.FollowUp, untreated, thiazide).Error.Message.ShouldContain("no earlier prescription for this condition");
    }

    [Fact]
    public void A_follow_up_is_the_same_condition_with_the_same_doctor_within_six_months()
    {
        var thiazide = Line("hydrochlorothiazide", "addOn");
        var diagnosed = Diagnosed(AudioOnly, Hypertension);
        PrescribingHistory Visit(Guid doctor, DateTimeOffset at, Diagnosis diagnosis) => new([new EarlierVisit(Guid.NewGuid(), doctor, at, diagnosis, ["atenolol"])]);

        Prescribe(diagnosed, ConsultKind.FollowUp, Visit(OtherDoctor, Now.AddMonths(-1), Hypertension), thiazide).Error.Code.ShouldBe("FollowUpNotProved");
        Prescribe(diagnosed, ConsultKind.FollowUp, Visit(Doctor, Now.AddMonths(-7), Hypertension), thiazide).Error.Code.ShouldBe("FollowUpNotProved");
        Prescribe(diagnosed, ConsultKind.FollowUp, Visit(Doctor, Now.AddMonths(-1), Tinea), thiazide).Error.Code.ShouldBe("FollowUpNotProved");
        Prescribe(Chat, ConsultKind.FollowUp, Treated, Line("paracetamol")).Error.Message.ShouldContain("Record the diagnosis first");

        var coded = Visit(Doctor, Now.AddMonths(-5), new Diagnosis("Type 2 diabetes", new CodedConcept("icd10", "E11.9")));
        Prescribe(Diagnosed(Chat, new Diagnosis("T2DM with hyperglycaemia", new CodedConcept("icd10", "E11.65"))), ConsultKind.FollowUp, coded, Line("sitagliptin", "addOn"))
            .IsSuccess.ShouldBeTrue("the same ICD-10 category is the same condition");
        var worded = Visit(Doctor, Now.AddMonths(-1), new Diagnosis("Essential  Hypertension", null));
        Prescribe(diagnosed, ConsultKind.FollowUp, worded, thiazide).IsSuccess.ShouldBeTrue("uncoded, the same words are the same condition");
    }

    [Theory]
    [InlineData("morphine")]
    [InlineData("codeine")]
    [InlineData("tamoxifen")]
    [InlineData("alprazolam")]
    public void Prohibited_medicines_are_never_prescribed(string generic)
    {
        var refused = Prescribe(Diagnosed(SeenOnVideo, Hypertension), ConsultKind.FollowUp, Treated, Line("paracetamol"), Line(generic, "refill"));
        refused.Error.Code.ShouldBe("NotAllowedByTpg");
        refused.Error.Message.ShouldContain($"Line 2: {generic}");
        refused.Error.Message.ShouldContain("never");
    }

    [Theory]
    [InlineData("dextromethorphan", TpgGroup.O)]
    [InlineData("chloroquine", TpgGroup.O)]
    [InlineData("calamine", TpgGroup.A)]
    [InlineData("metformin", TpgGroup.Chronic)]
    [InlineData("glibenclamide", TpgGroup.Chronic)]
    [InlineData("imatinib", TpgGroup.Prohibited)]
    public void The_catalogue_follows_the_annex(string generic, TpgGroup group) =>
        MedicineCatalogue.Seeded.Find(generic)!.Group.ShouldBe(group);

    [Fact]
    public void Every_catalogue_row_names_its_source_and_every_group_is_used()
    {
        MedicineCatalogue.Seeded.All.ShouldAllBe(m => m.Source.StartsWith("TPG"));
        MedicineCatalogue.Seeded.All.Select(m => m.Group).Distinct().ShouldBe([TpgGroup.O, TpgGroup.A, TpgGroup.Chronic, TpgGroup.Prohibited], ignoreOrder: true);
    }
}
