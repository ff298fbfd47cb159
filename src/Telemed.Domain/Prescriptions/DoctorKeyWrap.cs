using System.Security.Cryptography;
using System.Text;

namespace Telemed.Domain.Prescriptions;

/// <summary>
/// A doctor's private signing key as the server keeps it: AES-256-GCM ciphertext (PKCS#8) under a key derived from a
/// secret only the doctor holds, with the key's id as associated data (a wrapped key moved onto another key's record
/// does not open). <see cref="Iterations"/> is 0 when the wrapping key is random (an unlock token), else the PBKDF2-SHA256
/// count of the password it was derived from, with <see cref="Salt"/>.
/// </summary>
public sealed record WrappedKey(string Salt, int Iterations, string Nonce, string Ciphertext, string Tag);

/// <summary>Makes, wraps and unwraps doctors' P-256 signing keys; nothing here ever stores a secret.</summary>
public static class DoctorKeyWrap
{
    private const int TagBytes = 16;

    /// <summary>A fresh P-256 key pair.</summary>
    public static ECDsa NewKey() => ECDsa.Create(ECCurve.NamedCurves.nistP256);

    /// <summary>Wraps the key under a key derived from the password (PBKDF2-SHA256, a fresh 16-byte salt).</summary>
    public static WrappedKey WithPassword(ECDsa key, string keyId, string password, int iterations)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        return Seal(key, keyId, Derive(password, salt, iterations), Base64Url.Encode(salt), iterations);
    }

    /// <summary>Wraps the key under a random 32-byte secret (an unlock token's).</summary>
    public static WrappedKey WithSecret(ECDsa key, string keyId, byte[] secret) => Seal(key, keyId, secret, "", 0);

    /// <summary>The key, or null when the password is wrong (or the wrapped key was not made for this key id).</summary>
    public static ECDsa? OpenWithPassword(WrappedKey wrapped, string keyId, string password) =>
        wrapped.Iterations > 0 && Base64Url.Decode(wrapped.Salt) is { } salt ? Open(wrapped, keyId, Derive(password, salt, wrapped.Iterations)) : null;

    /// <summary>The key, or null when the secret is not the one it was wrapped under.</summary>
    public static ECDsa? OpenWithSecret(WrappedKey wrapped, string keyId, byte[] secret) =>
        wrapped.Iterations == 0 && secret.Length == 32 ? Open(wrapped, keyId, secret) : null;

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, 32);

    private static WrappedKey Seal(ECDsa key, string keyId, byte[] wrappingKey, string salt, int iterations)
    {
        var plaintext = key.ExportPkcs8PrivateKey();
        try
        {
            var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
            var ciphertext = new byte[plaintext.Length];
            var tag = new byte[TagBytes];
            using var aes = new AesGcm(wrappingKey, TagBytes);
            aes.Encrypt(nonce, plaintext, ciphertext, tag, Encoding.ASCII.GetBytes(keyId));
            return new WrappedKey(salt, iterations, Base64Url.Encode(nonce), Base64Url.Encode(ciphertext), Base64Url.Encode(tag));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }

    private static ECDsa? Open(WrappedKey wrapped, string keyId, byte[] wrappingKey)
    {
        if (Base64Url.Decode(wrapped.Nonce) is not { } nonce || Base64Url.Decode(wrapped.Ciphertext) is not { } ciphertext
            || Base64Url.Decode(wrapped.Tag) is not { Length: TagBytes } tag)
        {
            return null;
        }
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using (var aes = new AesGcm(wrappingKey, TagBytes))
            {
                aes.Decrypt(nonce, ciphertext, tag, plaintext, Encoding.ASCII.GetBytes(keyId));
            }
            var key = ECDsa.Create();
            key.ImportPkcs8PrivateKey(plaintext, out _);
            return Jwk.Thumbprint(key) == keyId ? key : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
