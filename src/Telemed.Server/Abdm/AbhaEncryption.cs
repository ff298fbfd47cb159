using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Telemed.Server.Abdm;

/// <summary>
/// Encrypts what the ABHA service takes only encrypted (Aadhaar numbers, ABHA numbers and addresses as login ids,
/// mobiles, OTPs) with the public key it publishes at /v3/profile/public/certificate. The certificate names its
/// algorithm; only RSA/ECB/OAEPWithSHA-1AndMGF1Padding (RSA-OAEP, SHA-1 for digest and MGF1) is known, and any other
/// is refused rather than guessed. The key is kept for a few hours, not forever, so a rotation heals by itself.
/// </summary>
public sealed class AbhaEncryption(AbdmHttp abdm, IOptions<AbdmOptions> options) : IDisposable
{
    public const string Algorithm = "RSA/ECB/OAEPWithSHA-1AndMGF1Padding";
    private readonly SemaphoreSlim gate = new(1, 1);
    private (RSA Key, DateTimeOffset FetchedAt)? current;

    public async Task<string> Encrypt(string value, CancellationToken cancellationToken)
    {
        var key = await Key(cancellationToken);
        return Convert.ToBase64String(key.Encrypt(Encoding.UTF8.GetBytes(value), RSAEncryptionPadding.OaepSHA1));
    }

    private async Task<RSA> Key(CancellationToken cancellationToken)
    {
        var lifetime = TimeSpan.FromHours(options.Value.CertificateHours);
        if (current is { } cached && TimeProvider.System.GetUtcNow() - cached.FetchedAt < lifetime)
        {
            return cached.Key;
        }
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (current is { } again && TimeProvider.System.GetUtcNow() - again.FetchedAt < lifetime)
            {
                return again.Key;
            }
            var answer = await abdm.Send(HttpMethod.Get, options.Value.Abha("/v3/profile/public/certificate"), null, cancellationToken);
            var algorithm = answer["encryptionAlgorithm"]?.GetValue<string>() ?? Algorithm;
            if (algorithm != Algorithm)
            {
                throw new AbdmUnavailableException($"the ABHA service asks for encryption by {algorithm}, which Telemed does not know");
            }
            var key = RSA.Create();
            try
            {
                // Bare base64 DER (SubjectPublicKeyInfo), whatever the field's name suggests; tolerate PEM armour too.
                var der = answer["publicKey"]?.GetValue<string>() ?? "";
                key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(string.Concat(der.Split('\n').Where(line => !line.StartsWith("-----", StringComparison.Ordinal))).Trim()), out _);
            }
            catch (FormatException e)
            {
                key.Dispose();
                throw new AbdmUnavailableException("the ABHA service's public key could not be read", e);
            }
            catch (CryptographicException e)
            {
                key.Dispose();
                throw new AbdmUnavailableException("the ABHA service's public key could not be read", e);
            }
            // The key it replaces may be encrypting for another call this moment: left to the collector, not disposed.
            current = (key, TimeProvider.System.GetUtcNow());
            return key;
        }
        finally
        {
            gate.Release();
        }
    }

    public void Dispose()
    {
        current?.Key.Dispose();
        gate.Dispose();
    }
}
