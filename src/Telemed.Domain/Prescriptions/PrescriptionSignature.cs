using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Telemed.Domain.Prescriptions;

public enum SignatureProblem
{
    Malformed,
    UnsupportedAlgorithm,
    UnknownKey,
    BadSignature,

    /// <summary>The doctor's key was revoked before the prescription says it was signed.</summary>
    KeyRevoked,
}

public sealed record VerifiedPrescription(string KeyId, PrescriptionContent Content);

/// <summary>
/// Prescriptions are signed as compact JWS (RFC 7515) with ES256 over the canonical JSON of their content, so anyone
/// holding the published JWKS can check one offline: header.payload.signature, each base64url.
/// </summary>
public static class PrescriptionSignature
{
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static byte[] Payload(PrescriptionContent content) =>
        CanonicalJson.Serialize(JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(content, JsonOptions)));

    /// <summary>The JWS "typ" of a prescription (RFC 8725 §3.11: each kind of signed object its own type, so none passes for another).</summary>
    public const string Type = "JOSE";

    public static string Sign(PrescriptionContent content, string keyId, ECDsa key) => CompactJws.Sign(Payload(content), Type, keyId, key);

    /// <summary>True when the JWS verifies against a published key and signs exactly this content (nothing altered since).</summary>
    public static bool Signs(string jws, PrescriptionContent content, Func<string, ECDsa?> publicKeyFor) =>
        Verify(jws, publicKeyFor).IsSuccess && Base64Url.Decode(jws.Split('.')[1]) is { } signed && signed.AsSpan().SequenceEqual(Payload(content));

    public static Result<VerifiedPrescription, SignatureProblem> Verify(string? jws, Func<string, ECDsa?> publicKeyFor)
    {
        var verified = CompactJws.Verify(jws, Type, publicKeyFor);
        if (!verified.IsSuccess)
        {
            return verified.Error;
        }
        try
        {
            return JsonSerializer.Deserialize<PrescriptionContent>(verified.Value.Payload, JsonOptions) is { } content
                ? new VerifiedPrescription(verified.Value.KeyId, content)
                : SignatureProblem.Malformed;
        }
        catch (JsonException)
        {
            return SignatureProblem.Malformed;
        }
    }
}

public sealed record SignedPayload(string KeyId, byte[] Payload);

/// <summary>Compact JWS (RFC 7515) with ES256: header.payload.signature, each base64url, the signature raw r||s as WebCrypto also reads it.</summary>
public static class CompactJws
{
    public static string Sign(byte[] payload, string type, string keyId, ECDsa key)
    {
        var header = CanonicalJson.Serialize(new JsonObject { ["alg"] = "ES256", ["kid"] = keyId, ["typ"] = type });
        var signingInput = $"{Base64Url.Encode(header)}.{Base64Url.Encode(payload)}";
        var signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        return $"{signingInput}.{Base64Url.Encode(signature)}";
    }

    /// <summary>The "kid" a compact JWS's header names, without verifying anything; null when there is none to read.</summary>
    public static string? KeyId(string? jws)
    {
        try
        {
            return Base64Url.Decode((jws ?? "").Trim().Split('.')[0]) is { } header ? JsonNode.Parse(header)?["kid"]?.GetValue<string>() : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    /// <summary>The signed payload when the JWS is of <paramref name="type"/> and verifies against the key its "kid" names.</summary>
    public static Result<SignedPayload, SignatureProblem> Verify(string? jws, string type, Func<string, ECDsa?> publicKeyFor)
    {
        var parts = (jws ?? "").Trim().Split('.');
        if (parts.Length != 3 || Base64Url.Decode(parts[0]) is not { } headerBytes || Base64Url.Decode(parts[1]) is not { } payload
            || Base64Url.Decode(parts[2]) is not { } signature)
        {
            return SignatureProblem.Malformed;
        }
        string? alg, kid, typ;
        try
        {
            var header = JsonNode.Parse(headerBytes);
            alg = header?["alg"]?.GetValue<string>();
            kid = header?["kid"]?.GetValue<string>();
            typ = header?["typ"]?.GetValue<string>();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return SignatureProblem.Malformed;
        }
        if (alg != "ES256")
        {
            return SignatureProblem.UnsupportedAlgorithm;
        }
        if (typ != type)
        {
            return SignatureProblem.Malformed;
        }
        if (kid is null || publicKeyFor(kid) is not { } key)
        {
            return SignatureProblem.UnknownKey;
        }
        var signingInput = Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}");
        return key.VerifyData(signingInput, signature, HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)
            ? new SignedPayload(kid, payload)
            : SignatureProblem.BadSignature;
    }
}

/// <summary>Public signing keys as JWK (RFC 7517), identified by their RFC 7638 thumbprint.</summary>
public static class Jwk
{
    public static JsonObject Public(ECDsa key)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        return new JsonObject
        {
            ["kty"] = "EC",
            ["crv"] = "P-256",
            ["x"] = Base64Url.Encode(parameters.Q.X!),
            ["y"] = Base64Url.Encode(parameters.Q.Y!),
            ["kid"] = Thumbprint(key),
            ["use"] = "sig",
            ["alg"] = "ES256",
        };
    }

    public static string Thumbprint(ECDsa key)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        var required = new JsonObject
        {
            ["crv"] = "P-256",
            ["kty"] = "EC",
            ["x"] = Base64Url.Encode(parameters.Q.X!),
            ["y"] = Base64Url.Encode(parameters.Q.Y!),
        };
        return Base64Url.Encode(SHA256.HashData(CanonicalJson.Serialize(required)));
    }

    /// <summary>A P-256 public key from a JWK, or null when the JWK is not one.</summary>
    public static ECDsa? ToPublicKey(JsonNode? jwk)
    {
        if (jwk?["kty"]?.GetValue<string>() != "EC" || jwk["crv"]?.GetValue<string>() != "P-256"
            || Base64Url.Decode(jwk["x"]?.GetValue<string>()) is not { Length: 32 } x || Base64Url.Decode(jwk["y"]?.GetValue<string>()) is not { Length: 32 } y)
        {
            return null;
        }
        try
        {
            return ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = x, Y = y } });
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}

public static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> bytes) => System.Buffers.Text.Base64Url.EncodeToString(bytes);

    public static byte[]? Decode(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }
        try
        {
            return System.Buffers.Text.Base64Url.DecodeFromChars(text);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
