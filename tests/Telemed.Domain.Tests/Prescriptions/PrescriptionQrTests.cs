using System.Security.Cryptography;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;

namespace Telemed.Domain.Tests.Prescriptions;

public class PrescriptionQrTests
{
    private const string Url = "https://telemed.example.in/verify/66666666-0000-0000-0000-0000000000aa";
    private static readonly ECDsa Key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private static readonly string KeyId = Jwk.Thumbprint(Key);
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    private static readonly PrescriptionContent Content = new(
        Guid.Parse("66666666-0000-0000-0000-0000000000aa"), Guid.Parse("66666666-0000-0000-0000-000000000001"), Now, new DateOnly(2026, 12, 25),
        ConsultKind.FirstConsult, ConsultationMedium.Video, new FacilityDetails(Guid.Parse("66666666-0000-0000-0000-0000000000f1"), "PHC Rampur", "IN2710000001"),
        new PrescriberDetails(Guid.Parse("66666666-0000-0000-0000-00000000000d"), "Dr Asha Rao", "MBBS, MD", "KMC-12345", "Karnataka Medical Council", "71-1234-5678-9012"),
        new PatientDetails(Guid.Parse("66666666-0000-0000-0000-00000000000e"), "सुनीता देवी", 42, Sex.Female, "91-1234-5678-9012", "sunita@sbx"),
        "Fever for 2 days", new Diagnosis("Viral fever", new CodedConcept("icd10", "B34.9")),
        [new("paracetamol", "500 mg", "tablet", "1 tablet", "1-0-1", "oral", 3, 6, "दिन में दो बार खाने के बाद", TpgGroup.O, MedicinePurpose.Start)],
        "CBC", "Fluids, rest", new DateOnly(2026, 12, 2));

    private static ECDsa? Published(string kid) => kid == KeyId ? Key : null;

    [Fact]
    public void The_code_is_the_verification_link_then_the_signed_prescription_in_digits_which_decode_to_the_very_JWS()
    {
        var jws = PrescriptionSignature.Sign(Content, KeyId, Key);

        var text = PrescriptionQr.Encode(Url, jws);

        text.ShouldStartWith(Url + PrescriptionQr.Marker);
        text[(Url.Length + PrescriptionQr.Marker.Length)..].ShouldAllBe(c => char.IsAsciiDigit(c));
        PrescriptionQr.Decode(text).ShouldBe(jws);
        var verified = PrescriptionSignature.Verify(PrescriptionQr.Decode(text), Published);
        verified.IsSuccess.ShouldBeTrue();
        verified.Value.Content.Patient.Name.ShouldBe("सुनीता देवी");
    }

    [Fact]
    public void The_deflated_payload_makes_the_code_shorter_than_the_JWS_in_digits_would_be()
    {
        var jws = PrescriptionSignature.Sign(Content, KeyId, Key);

        var digits = PrescriptionQr.Encode(Url, jws).Length - Url.Length - PrescriptionQr.Marker.Length;

        digits.ShouldBeLessThan(jws.Length * 2 * 3 / 4);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void One_digit_changed_in_the_payload_is_refused(int which)
    {
        var text = PrescriptionQr.Encode(Url, PrescriptionSignature.Sign(Content, KeyId, Key));
        var body = text[(Url.Length + PrescriptionQr.Marker.Length)..];
        // Past the header (a dot, "01", ends it), somewhere in the compressed payload.
        var headerEnd = Enumerable.Range(0, body.Length / 2).First(pair => body.Substring(2 * pair, 2) == "01");
        var at = Url.Length + PrescriptionQr.Marker.Length + 2 * headerEnd + 2 + 10 + which * 37;
        var tampered = text[..at] + (char)('0' + (text[at] - '0' + 1) % 4) + text[(at + 1)..];
        tampered.ShouldNotBe(text);

        PrescriptionSignature.Verify(PrescriptionQr.Decode(tampered), Published).IsSuccess.ShouldBeFalse();
    }

    [Fact]
    public void A_code_re_packed_with_an_altered_prescription_decodes_but_is_refused()
    {
        var parts = PrescriptionSignature.Sign(Content, KeyId, Key).Split('.');
        var altered = System.Text.Encoding.UTF8.GetString(Base64Url.Decode(parts[1])!).Replace("\"quantity\":6", "\"quantity\":60", StringComparison.Ordinal);
        altered.ShouldContain("\"quantity\":60");
        var repacked = PrescriptionQr.Encode(Url, $"{parts[0]}.{Base64Url.Encode(System.Text.Encoding.UTF8.GetBytes(altered))}.{parts[2]}");

        var verified = PrescriptionSignature.Verify(PrescriptionQr.Decode(repacked), Published);

        verified.IsSuccess.ShouldBeFalse();
        verified.Error.ShouldBe(SignatureProblem.BadSignature);
    }

    [Fact]
    public void A_code_signed_by_another_key_under_the_published_key_id_is_refused()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forged = PrescriptionQr.Encode(Url, PrescriptionSignature.Sign(Content, KeyId, other));

        var verified = PrescriptionSignature.Verify(PrescriptionQr.Decode(forged), Published);

        verified.IsSuccess.ShouldBeFalse();
        verified.Error.ShouldBe(SignatureProblem.BadSignature);
    }

    [Theory]
    [InlineData("https://telemed.example.in/verify/66666666-0000-0000-0000-0000000000aa")]
    [InlineData("https://telemed.example.in/verify/x#jws:123")]
    [InlineData("https://telemed.example.in/verify/x#jws:9999")]
    [InlineData("https://telemed.example.in/verify/x#jws:12ab")]
    public void Text_without_an_intact_signed_prescription_decodes_to_nothing(string text) => PrescriptionQr.Decode(text).ShouldBeNull();

    [Fact]
    public void The_revocation_list_names_the_revoked_prescriptions_still_valid_and_verifies_only_as_a_list()
    {
        var stillValid = Guid.Parse("66666666-0000-0000-0000-0000000000b1");
        var expired = Guid.Parse("66666666-0000-0000-0000-0000000000b2");
        var list = RevocationList.Of([(stillValid, new DateOnly(2026, 11, 25)), (expired, new DateOnly(2026, 11, 24))], Now);

        var jws = list.Sign(KeyId, Key);

        var verified = RevocationList.Verify(jws, Published);
        verified.Value.Revoked.ShouldBe([stillValid]);
        verified.Value.IssuedAt.ShouldBe(Now);
        PrescriptionSignature.Verify(jws, Published).IsSuccess.ShouldBeFalse();
        RevocationList.Verify(PrescriptionSignature.Sign(Content, KeyId, Key), Published).IsSuccess.ShouldBeFalse();
    }

    [Fact]
    public void An_edited_revocation_list_is_refused()
    {
        var parts = RevocationList.Of([], Now).Sign(KeyId, Key).Split('.');
        var emptier = System.Text.Encoding.UTF8.GetString(Base64Url.Decode(parts[1])!).Replace("2026-11-25", "2026-11-30", StringComparison.Ordinal);

        RevocationList.Verify($"{parts[0]}.{Base64Url.Encode(System.Text.Encoding.UTF8.GetBytes(emptier))}.{parts[2]}", Published).Error
            .ShouldBe(SignatureProblem.BadSignature);
    }
}
