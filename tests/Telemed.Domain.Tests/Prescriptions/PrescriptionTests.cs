using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;

namespace Telemed.Domain.Tests.Prescriptions;

public class PrescriptionTests
{
    private static readonly Guid Id = Guid.Parse("66666666-0000-0000-0000-000000000001");
    private static readonly Guid Doctor = Guid.Parse("66666666-0000-0000-0000-00000000000d");
    private static readonly Guid Patient = Guid.Parse("66666666-0000-0000-0000-00000000000e");
    private static readonly Guid PrescriptionId = Guid.Parse("66666666-0000-0000-0000-0000000000aa");
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);
    private static readonly FacilityDetails Facility = new(Guid.NewGuid(), "PHC Rampur", "IN2710000001");
    private static readonly PrescriberDetails Prescriber = new(Doctor, "Dr Asha Rao", "MBBS, MD", "KMC-12345", "Karnataka Medical Council", "71-1234-5678-9012");
    private static readonly PatientDetails Sunita = new(Patient, "सुनीता देवी", 42, Sex.Female, "91-1234-5678-9012", "sunita@sbx");

    private static readonly PrescribedMedicine Paracetamol =
        new("paracetamol", "500 mg", "tablet", "1 tablet", "1-0-1", "oral", 3, 6, "दिन में दो बार खाने के बाद", TpgGroup.O, MedicinePurpose.Start);

    private static Consultation Consultation(params IConsultationEvent[] more) =>
        new IConsultationEvent[]
            {
                new ConsultationStarted(Id, Guid.NewGuid(), 1, Doctor, Patient, Now), new PatientCameraReported(Id, true, Patient, Now), new CallConnected(Id, Patient, Now),
            }
            .Concat(more)
            .Aggregate((Consultation?)null, Domain.Consultations.Consultation.Evolve)!;

    private static readonly Consultation Written = Consultation(
        new VitalsRecorded(Id, new Vitals(128, 82, 96, 38.4m, 97, 61.5m), Doctor, Now),
        new NotesRecorded(Id, new ClinicalNotes("Fever for 2 days", null, "Throat congested", "CBC", "Fluids, rest", new DateOnly(2026, 12, 2)), Doctor, Now),
        new DiagnosisRecorded(Id, new Diagnosis("Viral fever", new CodedConcept("icd10", "B34.9")), Doctor, Now),
        new MedicinesPrescribed(Id, ConsultKind.FirstConsult, [Paracetamol], Doctor, Now));

    private static PrescriptionContent Content() =>
        PrescriptionRules.Compose(Written, PrescriptionId, Facility, Prescriber, Sunita, Now).Value!;

    [Fact]
    public void A_prescription_carries_what_TPG_asks_and_is_valid_for_30_days()
    {
        var content = Content();
        content.Doctor.RegistrationNumber.ShouldBe("KMC-12345");
        content.Patient.AgeYears.ShouldBe(42);
        content.ChiefComplaints.ShouldBe("Fever for 2 days");
        content.Diagnosis.Text.ShouldBe("Viral fever");
        content.Medicines.ShouldBe([Paracetamol]);
        content.Medium.ShouldBe(ConsultationMedium.Video);
        content.ValidUntil.ShouldBe(new DateOnly(2026, 12, 25));
        content.Vitals.ShouldBe("BP 128/82 mmHg · pulse 96/min · temperature 38.4 °C · SpO2 97% · weight 61.5 kg");
        content.Examination.ShouldBe("Throat congested");
    }

    [Fact]
    public void The_vitals_are_signed_as_the_line_printed_so_the_signature_stays_over_whole_numbers() =>
        PrescriptionSignature.Payload(Content()).ShouldNotBeEmpty();

    [Fact]
    public void Validity_counts_from_the_day_in_India_the_prescription_was_issued()
    {
        // 20:00 UTC on 25 Nov is 01:30 on 26 Nov in India: the pharmacist's "today" is the 26th, so is the first day.
        var lateEvening = new DateTimeOffset(2026, 11, 25, 20, 0, 0, TimeSpan.Zero);
        var content = PrescriptionRules.Compose(Written, PrescriptionId, Facility, Prescriber, Sunita, lateEvening).Value!;
        content.ValidUntil.ShouldBe(new DateOnly(2026, 12, 26));
    }

    [Fact]
    public void No_medicines_means_no_prescription() =>
        PrescriptionRules.Compose(Consultation(), PrescriptionId, Facility, Prescriber, Sunita, Now).Value.ShouldBeNull();

    [Fact]
    public void A_prescription_needs_a_diagnosis_the_registration_and_the_patients_age_and_sex()
    {
        var undiagnosed = Consultation(new MedicinesPrescribed(Id, ConsultKind.FirstConsult, [Paracetamol], Doctor, Now));
        PrescriptionRules.Compose(undiagnosed, PrescriptionId, Facility, Prescriber, Sunita, Now).Error.Code.ShouldBe("DiagnosisMissing");
        PrescriptionRules.Compose(Written, PrescriptionId, Facility, Prescriber with { RegistrationNumber = "" }, Sunita, Now).Error.Code.ShouldBe("RegistrationMissing");
        PrescriptionRules.Compose(Written, PrescriptionId, Facility, Prescriber, Sunita with { Sex = Sex.Unknown }, Now).Error.Code.ShouldBe("PatientDetailsMissing");
    }

    [Fact]
    public void TPG_rules_are_checked_again_when_the_prescription_is_composed()
    {
        // Prescribed as a follow-up of the hypertension seen in October; the diagnosis was changed afterwards.
        var addOn = Paracetamol with { Generic = "amlodipine", Group = TpgGroup.Chronic, Purpose = MedicinePurpose.AddOn };
        var hypertension = new Diagnosis("Essential hypertension", new CodedConcept("icd10", "I10"));
        var history = new PrescribingHistory([new EarlierVisit(Guid.NewGuid(), Doctor, Now.AddDays(-40), hypertension, ["telmisartan"])]);
        var followUp = Consultation(
            new DiagnosisRecorded(Id, hypertension, Doctor, Now),
            new MedicinesPrescribed(Id, ConsultKind.FollowUp, [addOn], Doctor, Now));
        PrescriptionRules.Compose(followUp, PrescriptionId, Facility, Prescriber, Sunita, Now, history: history).IsSuccess.ShouldBeTrue();
        var rediagnosed = Domain.Consultations.Consultation.Evolve(followUp, new DiagnosisRecorded(Id, new Diagnosis("Migraine", null), Doctor, Now));
        PrescriptionRules.Compose(rediagnosed, PrescriptionId, Facility, Prescriber, Sunita, Now, history: history).Error.Code.ShouldBe("FollowUpNotProved");
    }

    [Theory]
    [InlineData(2026, 11, 25, 1984, 11, 25, 42)]
    [InlineData(2026, 11, 24, 1984, 11, 25, 41)]
    public void Age_counts_whole_years(int y, int m, int d, int by, int bm, int bd, int age) =>
        PrescriptionRules.AgeOn(new DateOnly(y, m, d), by, new DateOnly(by, bm, bd)).ShouldBe(age);

    [Fact]
    public void Age_from_the_year_alone() => PrescriptionRules.AgeOn(new DateOnly(2026, 1, 1), 1990, null).ShouldBe(36);

    [Fact]
    public void Canonical_json_sorts_members_and_escapes_minimally()
    {
        var node = JsonNode.Parse("""{ "b": [1, true, null], "a": "दिन\n\"x\"\u0001", "A": { "z": 1, "y": 2 } }""");
        Encoding.UTF8.GetString(CanonicalJson.Serialize(node)).ShouldBe("{\"A\":{\"y\":2,\"z\":1},\"a\":\"दिन\\n\\\"x\\\"\\u0001\",\"b\":[1,true,null]}");
        Should.Throw<ArgumentException>(() => CanonicalJson.Serialize(JsonNode.Parse("{\"x\":1.5}")));
    }

    [Fact]
    public void A_signed_prescription_verifies_with_its_public_key_and_round_trips()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = Jwk.Thumbprint(key);
        var jws = PrescriptionSignature.Sign(Content(), kid, key);
        using var published = Jwk.ToPublicKey(Jwk.Public(key))!;

        var verified = PrescriptionSignature.Verify(jws, id => id == kid ? published : null);

        verified.Value.KeyId.ShouldBe(kid);
        PrescriptionSignature.Payload(verified.Value.Content).ShouldBe(PrescriptionSignature.Payload(Content()));
        verified.Value.Content.Patient.Name.ShouldBe("सुनीता देवी");
    }

    [Fact]
    public void A_tampered_payload_fails()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var kid = Jwk.Thumbprint(key);
        var parts = PrescriptionSignature.Sign(Content(), kid, key).Split('.');
        var tampered = Content() with { Medicines = [Paracetamol with { Quantity = 60 }] };
        var forged = $"{parts[0]}.{Base64Url.Encode(PrescriptionSignature.Payload(tampered))}.{parts[2]}";

        PrescriptionSignature.Verify(forged, _ => key).Error.ShouldBe(SignatureProblem.BadSignature);
    }

    [Fact]
    public void A_stored_content_that_differs_from_what_was_signed_is_caught()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jws = PrescriptionSignature.Sign(Content(), Jwk.Thumbprint(key), key);
        PrescriptionSignature.Signs(jws, Content(), _ => key).ShouldBeTrue();
        PrescriptionSignature.Signs(jws, Content() with { Advice = "Take double" }, _ => key).ShouldBeFalse();
    }

    [Fact]
    public void An_unknown_key_id_or_another_key_fails()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var jws = PrescriptionSignature.Sign(Content(), Jwk.Thumbprint(key), key);

        PrescriptionSignature.Verify(jws, _ => null).Error.ShouldBe(SignatureProblem.UnknownKey);
        PrescriptionSignature.Verify(jws, _ => other).Error.ShouldBe(SignatureProblem.BadSignature);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a.b")]
    [InlineData("!!.??.**")]
    [InlineData("eyJhbGciOiJub25lIn0.e30.AA")]
    public void Garbage_is_malformed_or_unsupported(string jws) =>
        PrescriptionSignature.Verify(jws, _ => null).Error.ShouldBeOneOf(SignatureProblem.Malformed, SignatureProblem.UnsupportedAlgorithm);

    [Fact]
    public void The_key_id_is_the_RFC_7638_thumbprint()
    {
        // The P-256 key of RFC 7517 Appendix A.1; the expected value was computed independently (Python hashlib over the RFC 7638 member string).
        var jwk = JsonNode.Parse("""{"kty":"EC","crv":"P-256","x":"MKBCTNIcKUSDii11ySs3526iDZ8AiTo7Tu6KPAqv7D4","y":"4Etl6SRW2YiLUrN5vfvVHuhp7x8PxltmWWlbbM4IFyM"}""");
        using var key = Jwk.ToPublicKey(jwk)!;
        Jwk.Thumbprint(key).ShouldBe("cn-I_WNMClehiVp51i_0VpOENW1upEerA8sEam5hn-s");
    }

    [Fact]
    public void Only_its_doctor_revokes_with_a_reason_once()
    {
        var signed = Prescription.Evolve(null, new PrescriptionSigned(PrescriptionId, Content(), "jws", "kid", Now));
        PrescriptionDecisions.Revoke(signed, Patient, "wrong dose", Now).Error.Code.ShouldBe("NotTheDoctor");
        PrescriptionDecisions.Revoke(signed, Doctor, " ", Now).Error.Code.ShouldBe("ReasonRequired");
        var revoked = PrescriptionDecisions.Revoke(signed, Doctor, "wrong dose", Now).Value.ShouldHaveSingleItem();
        var after = Prescription.Evolve(signed, revoked);
        after.Status.ShouldBe(PrescriptionStatus.Revoked);
        PrescriptionDecisions.Revoke(after, Doctor, "wrong dose", Now).Value.ShouldBeEmpty();
    }
}
