using System.Security.Cryptography;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;

namespace Telemed.Domain.Tests.Prescriptions;

public class DoctorSignatureTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);
    private const string Hpr = "71-1234-5678-9012";

    private static readonly PrescriptionContent Content = new(
        Guid.Parse("66666666-0000-0000-0000-0000000000aa"), Guid.Parse("66666666-0000-0000-0000-000000000001"), Now, new DateOnly(2026, 12, 25),
        ConsultKind.FirstConsult, ConsultationMedium.Video, new FacilityDetails(Guid.Empty, "PHC Rampur", "IN2710000001"),
        new PrescriberDetails(Guid.Empty, "Dr Asha Rao", "MBBS", "KMC-12345", "Karnataka Medical Council", Hpr),
        new PatientDetails(Guid.Empty, "Sunita Devi", 42, Sex.Female, null, null), "Fever", new Diagnosis("Viral fever", null),
        [new PrescribedMedicine("paracetamol", "500 mg", "tablet", "1 tablet", "1-0-1", "oral", 3, 6, null, TpgGroup.O, MedicinePurpose.Start)],
        null, null, null);

    private sealed class Keys : IDisposable
    {
        public ECDsa Doctor { get; } = DoctorKeyWrap.NewKey();
        public ECDsa Facility { get; } = DoctorKeyWrap.NewKey();
        public string DoctorKid => Jwk.Thumbprint(Doctor);
        public string FacilityKid => Jwk.Thumbprint(Facility);
        public DateTimeOffset? RevokedAt { get; set; }

        public (string Jws, string Countersignature) Sign(PrescriptionContent content)
        {
            var jws = PrescriptionSignature.Sign(content, DoctorKid, Doctor);
            return (jws, Countersignature.Sign(jws, FacilityKid, Facility));
        }

        public SignatureVerdict Verify(string jws, string? countersignature, PrescriptionContent? content = null) => Countersignature.Verify(
            jws, countersignature, content,
            kid => kid == DoctorKid ? new DoctorPublicKey(Doctor, Guid.Empty, Hpr, RevokedAt) : null,
            kid => kid == FacilityKid ? Facility : null);

        public void Dispose()
        {
            Doctor.Dispose();
            Facility.Dispose();
        }
    }

    [Fact]
    public void A_prescription_signed_by_the_doctor_and_countersigned_by_the_facility_verifies_and_names_the_doctor()
    {
        using var keys = new Keys();
        var (jws, countersignature) = keys.Sign(Content);

        var verdict = keys.Verify(jws, countersignature, Content);

        verdict.Holds.ShouldBeTrue();
        verdict.FacilityKeyOnly.ShouldBeFalse();
        verdict.DoctorHprId.ShouldBe(Hpr);
        verdict.Explain().ShouldContain(Hpr);
    }

    [Fact]
    public void Tampering_with_the_doctors_signature_fails_both_and_says_so()
    {
        using var keys = new Keys();
        var (jws, countersignature) = keys.Sign(Content);
        var parts = jws.Split('.');
        var forged = $"{parts[0]}.{Base64Url.Encode(PrescriptionSignature.Payload(Content with { Advice = "Take double" }))}.{parts[2]}";

        var verdict = keys.Verify(forged, countersignature);

        verdict.Doctor.ShouldBe(SignatureProblem.BadSignature);
        verdict.Facility.ShouldBe(SignatureProblem.BadSignature);
        verdict.Holds.ShouldBeFalse();
    }

    [Fact]
    public void A_doctor_signature_countersigned_for_another_prescription_fails_only_the_countersignature()
    {
        using var keys = new Keys();
        var (jws, _) = keys.Sign(Content);
        var (_, otherCountersignature) = keys.Sign(Content with { Advice = "Rest" });

        var verdict = keys.Verify(jws, otherCountersignature, Content);

        verdict.Doctor.ShouldBeNull();
        verdict.Facility.ShouldBe(SignatureProblem.BadSignature);
        verdict.Explain().ShouldContain("countersignature fails");
    }

    [Fact]
    public void A_countersignature_by_a_key_that_is_not_the_facilitys_fails_and_a_facility_key_cannot_sign_as_a_doctor()
    {
        using var keys = new Keys();
        var (jws, _) = keys.Sign(Content);
        using var stranger = DoctorKeyWrap.NewKey();
        keys.Verify(jws, Countersignature.Sign(jws, Jwk.Thumbprint(stranger), stranger), Content).Facility.ShouldBe(SignatureProblem.UnknownKey);

        var byFacility = PrescriptionSignature.Sign(Content, keys.FacilityKid, keys.Facility);
        keys.Verify(byFacility, Countersignature.Sign(byFacility, keys.FacilityKid, keys.Facility), Content).Doctor.ShouldBe(SignatureProblem.UnknownKey);
    }

    [Fact]
    public void A_doctor_key_revoked_before_the_prescription_was_signed_fails_it_but_not_what_it_signed_before()
    {
        using var keys = new Keys();
        var (jws, countersignature) = keys.Sign(Content);

        keys.RevokedAt = Now.AddMinutes(1);
        keys.Verify(jws, countersignature, Content).Holds.ShouldBeTrue();
        keys.RevokedAt = Now;
        keys.Verify(jws, countersignature, Content).Doctor.ShouldBe(SignatureProblem.KeyRevoked);
    }

    [Fact]
    public void A_prescription_from_before_doctors_keys_verifies_as_signed_by_the_facility_key_but_a_doctors_jws_without_its_countersignature_does_not()
    {
        using var keys = new Keys();
        var legacy = PrescriptionSignature.Sign(Content, keys.FacilityKid, keys.Facility);
        var verdict = keys.Verify(legacy, null, Content);
        verdict.Holds.ShouldBeTrue();
        verdict.FacilityKeyOnly.ShouldBeTrue();
        verdict.Explain().ShouldContain("facility key");

        var (jws, _) = keys.Sign(Content);
        keys.Verify(jws, null, Content).Facility.ShouldBe(SignatureProblem.UnknownKey);
        keys.Verify(legacy, null, Content with { Advice = "Take double" }).Facility.ShouldBe(SignatureProblem.BadSignature);
    }

    [Fact]
    public void A_key_wrapped_under_a_password_opens_only_with_that_password_and_its_own_key_id()
    {
        using var key = DoctorKeyWrap.NewKey();
        var kid = Jwk.Thumbprint(key);
        var wrapped = DoctorKeyWrap.WithPassword(key, kid, "correct horse battery", 1000);

        using var opened = DoctorKeyWrap.OpenWithPassword(wrapped, kid, "correct horse battery");
        opened.ShouldNotBeNull();
        Jwk.Thumbprint(opened).ShouldBe(kid);
        DoctorKeyWrap.OpenWithPassword(wrapped, kid, "wrong horse battery").ShouldBeNull();
        using var other = DoctorKeyWrap.NewKey();
        DoctorKeyWrap.OpenWithPassword(wrapped, Jwk.Thumbprint(other), "correct horse battery").ShouldBeNull();
        wrapped.Ciphertext.ShouldNotContain(Base64Url.Encode(key.ExportPkcs8PrivateKey()));
    }

    [Fact]
    public void A_key_rewrapped_under_a_random_secret_opens_with_that_secret_only()
    {
        using var key = DoctorKeyWrap.NewKey();
        var kid = Jwk.Thumbprint(key);
        var secret = RandomNumberGenerator.GetBytes(32);
        var wrapped = DoctorKeyWrap.WithSecret(key, kid, secret);

        DoctorKeyWrap.OpenWithSecret(wrapped, kid, secret).ShouldNotBeNull();
        DoctorKeyWrap.OpenWithSecret(wrapped, kid, RandomNumberGenerator.GetBytes(32)).ShouldBeNull();
        DoctorKeyWrap.OpenWithPassword(wrapped, kid, "anything").ShouldBeNull();
    }
}
