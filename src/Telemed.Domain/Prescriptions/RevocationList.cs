using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Telemed.Domain.Prescriptions;

/// <summary>
/// The prescriptions revoked while still valid, as of <paramref name="IssuedAt"/>: what an offline verifier checks a
/// scanned prescription against. Expired ones drop off (their expiry is in their own signed content), so the list stays short.
/// </summary>
public sealed record RevocationList(DateTimeOffset IssuedAt, IReadOnlyList<Guid> Revoked)
{
    /// <summary>The list's JWS "typ": a revocation list never passes for a prescription, nor one for a list.</summary>
    public const string Type = "telemed-revocations";

    /// <summary>Signed with the prescription key, so a copy handed from device to device can be neither edited nor made to look newer.</summary>
    public string Sign(string keyId, ECDsa key) =>
        CompactJws.Sign(CanonicalJson.Serialize(JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(this, PrescriptionSignature.JsonOptions))), Type, keyId, key);

    public static RevocationList Of(IEnumerable<(Guid PrescriptionId, DateOnly ValidUntil)> revoked, DateTimeOffset now) =>
        new(now, [.. revoked.Where(r => r.ValidUntil >= IndianTime.Day(now)).Select(r => r.PrescriptionId).Distinct().Order()]);

    public static Result<RevocationList, SignatureProblem> Verify(string? jws, Func<string, ECDsa?> publicKeyFor)
    {
        var verified = CompactJws.Verify(jws, Type, publicKeyFor);
        if (!verified.IsSuccess)
        {
            return verified.Error;
        }
        try
        {
            return JsonSerializer.Deserialize<RevocationList>(verified.Value.Payload, PrescriptionSignature.JsonOptions) is { Revoked: not null } list
                ? list
                : SignatureProblem.Malformed;
        }
        catch (JsonException)
        {
            return SignatureProblem.Malformed;
        }
    }
}
