using System.Security.Cryptography;
using System.Text;

namespace Telemed.Domain.Prescriptions;

/// <summary>A doctor's public signing key as a verifier knows it: whose it is, and from when it no longer signs.</summary>
public sealed record DoctorPublicKey(ECDsa Key, Guid DoctorId, string HprId, DateTimeOffset? RevokedAt);

/// <summary>
/// What a prescription's two signatures say: <see cref="Doctor"/> and <see cref="Facility"/> are null when that signature
/// holds, else why it does not. <see cref="FacilityKeyOnly"/>: signed before doctors had keys of their own, by the
/// facility key alone (then <see cref="Doctor"/> is null and only the facility's signature is judged).
/// </summary>
public sealed record SignatureVerdict(SignatureProblem? Doctor, SignatureProblem? Facility, string? DoctorHprId, bool FacilityKeyOnly)
{
    public bool Holds => Doctor is null && Facility is null;

    /// <summary>For a verifier's screen: who signed, or which signature failed.</summary>
    public string Explain() => (Doctor, Facility, FacilityKeyOnly) switch
    {
        (null, null, true) => "Signed by the facility key (issued before doctors signed with keys of their own).",
        (null, null, false) => $"Signed by the doctor's own key (HPR {DoctorHprId}) and countersigned by the facility key.",
        ({ } doctor, null, _) => $"The doctor's signature fails ({doctor}); the facility's countersignature holds.",
        (null, { } facility, true) => $"The facility key's signature fails ({facility}).",
        (null, { } facility, false) => $"The doctor's signature holds (HPR {DoctorHprId}) but the facility's countersignature fails ({facility}).",
        ({ } doctor, { } facility, _) => $"Both signatures fail: the doctor's ({doctor}) and the facility's countersignature ({facility}).",
    };
}

/// <summary>
/// The facility key's countersignature of a doctor's prescription JWS: a compact JWS (typ <see cref="Type"/>) whose
/// payload is the SHA-256 of the doctor's compact JWS, so it binds that exact signature and costs a QR code little.
/// </summary>
public static class Countersignature
{
    public const string Type = "telemed-countersignature";

    public static string Sign(string doctorJws, string keyId, ECDsa facilityKey) => CompactJws.Sign(Digest(doctorJws), Type, keyId, facilityKey);

    /// <summary>Null when the countersignature verifies under a facility key and covers exactly <paramref name="doctorJws"/>.</summary>
    public static SignatureProblem? Check(string? countersignature, string doctorJws, Func<string, ECDsa?> facilityKeyFor)
    {
        var verified = CompactJws.Verify(countersignature, Type, facilityKeyFor);
        return !verified.IsSuccess ? verified.Error
            : verified.Value.Payload.AsSpan().SequenceEqual(Digest(doctorJws)) ? null
            : SignatureProblem.BadSignature;
    }

    /// <summary>
    /// Both signatures of a prescription, each judged on its own: the doctor's JWS against the doctor keys (one revoked
    /// before the prescription's signed issue time fails it), the countersignature against the facility keys. Without a
    /// countersignature the JWS must verify under a facility key (a prescription from before doctors' keys). With
    /// <paramref name="content"/>, the JWS must sign exactly it (the stored record was not altered since).
    /// </summary>
    public static SignatureVerdict Verify(
        string? jws, string? countersignature, PrescriptionContent? content, Func<string, DoctorPublicKey?> doctorKeyFor, Func<string, ECDsa?> facilityKeyFor)
    {
        if (string.IsNullOrEmpty(countersignature))
        {
            var alone = PrescriptionSignature.Verify(jws, facilityKeyFor);
            return new SignatureVerdict(null, alone.IsSuccess ? Altered(jws!, content) : alone.Error, null, FacilityKeyOnly: true);
        }
        DoctorPublicKey? signer = null;
        var byDoctor = PrescriptionSignature.Verify(jws, kid => (signer = doctorKeyFor(kid))?.Key);
        SignatureProblem? doctor = !byDoctor.IsSuccess ? byDoctor.Error
            : signer!.RevokedAt is { } revokedAt && byDoctor.Value.Content.IssuedAt >= revokedAt ? SignatureProblem.KeyRevoked
            : Altered(jws!, content);
        var facility = jws is null ? SignatureProblem.Malformed : Check(countersignature, jws.Trim(), facilityKeyFor);
        return new SignatureVerdict(doctor, facility, signer?.HprId, FacilityKeyOnly: false);
    }

    private static SignatureProblem? Altered(string jws, PrescriptionContent? content) =>
        content is null || Base64Url.Decode(jws.Trim().Split('.')[1]) is { } signed && signed.AsSpan().SequenceEqual(PrescriptionSignature.Payload(content))
            ? null
            : SignatureProblem.BadSignature;

    private static byte[] Digest(string doctorJws) => SHA256.HashData(Encoding.ASCII.GetBytes(doctorJws));
}
