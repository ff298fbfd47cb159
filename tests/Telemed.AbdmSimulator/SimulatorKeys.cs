using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Telemed.AbdmSimulator;

/// <summary>
/// The simulator's keys: the RSA key whose public half the ABHA service publishes for encrypting Aadhaar numbers and OTPs
/// (4096-bit, as ABDM's), the gateway's signing key (published as JWKS, signs session tokens and callbacks), and a key no
/// one publishes, for forged callbacks.
/// </summary>
public sealed class SimulatorKeys : IDisposable
{
    public const string EncryptionAlgorithm = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
    private readonly JsonWebTokenHandler tokens = new();
    private readonly RSA encryption = RSA.Create(4096);
    private readonly RSA signing = RSA.Create(2048);
    private readonly RSA forger = RSA.Create(2048);

    public SimulatorKeys()
    {
        SigningKey = new RsaSecurityKey(signing) { KeyId = Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(16)) };
        ForgedKey = new RsaSecurityKey(forger) { KeyId = SigningKey.KeyId };
    }

    public RsaSecurityKey SigningKey { get; }

    /// <summary>The consent manager's signature over a consent artefact (RS256 over its JSON, as the gateway signs tokens).</summary>
    public byte[] Sign(byte[] data) => signing.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    /// <summary>Not published: a token signed with it claims the published key id but fails its signature.</summary>
    public RsaSecurityKey ForgedKey { get; }

    /// <summary>The ABHA service's public key as its certificate endpoint gives it: bare base64 DER (SubjectPublicKeyInfo).</summary>
    public string PublicKey => Convert.ToBase64String(encryption.ExportSubjectPublicKeyInfo());

    /// <summary>Decrypts a value a client encrypted with the public key; null when it is not such a value.</summary>
    public string? Decrypt(string? base64)
    {
        try
        {
            return base64 is null ? null : System.Text.Encoding.UTF8.GetString(encryption.Decrypt(Convert.FromBase64String(base64), RSAEncryptionPadding.OaepSHA1));
        }
        catch (Exception e) when (e is FormatException or CryptographicException)
        {
            return null;
        }
    }

    public object Jwks()
    {
        var parameters = signing.ExportParameters(false);
        return new
        {
            keys = new[]
            {
                new
                {
                    kty = "RSA", use = "sig", alg = "RS256", kid = SigningKey.KeyId,
                    n = Base64UrlEncoder.Encode(parameters.Modulus), e = Base64UrlEncoder.Encode(parameters.Exponent),
                },
            },
        };
    }

    public string Issue(string issuer, string subject, TimeSpan lifetime, IDictionary<string, object>? claims = null, RsaSecurityKey? key = null) =>
        tokens.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, subject)]),
            Claims = claims,
            IssuedAt = DateTime.UtcNow,
            NotBefore = DateTime.UtcNow,
            Expires = DateTime.UtcNow + lifetime,
            SigningCredentials = new SigningCredentials(key ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });

    /// <summary>The claims of a token this simulator issued and that has not expired; null otherwise.</summary>
    public async Task<IDictionary<string, object>?> Read(string? token, string issuer)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }
        var result = await tokens.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = issuer,
            ValidateAudience = false,
            IssuerSigningKey = SigningKey,
            ClockSkew = TimeSpan.Zero,
        });
        return result.IsValid ? result.Claims : null;
    }

    public void Dispose()
    {
        encryption.Dispose();
        signing.Dispose();
        forger.Dispose();
    }
}
