using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Agreement;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Utilities;
using Org.BouncyCastle.X509;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Telemed.Domain.Abdm;

/// <summary>Fidelius refused: a key, a nonce or the ciphertext was malformed, or the ciphertext did not authenticate.</summary>
public sealed class FideliusException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One side's key material for one ABDM health-information exchange (Fidelius): an ECDH key pair on Curve25519 and a
/// 32-byte nonce. It works as ABDM's reference implementation (Fidelius CLI) does, so the two interoperate:
/// <list type="bullet">
/// <item>Curve25519 in its short Weierstrass form (BouncyCastle's "curve25519"), not X25519: the shared secret is the
/// x coordinate of the ECDH point, 32 bytes big-endian.</item>
/// <item>The two nonces XORed: the first 20 bytes salt HKDF-SHA256 (the shared secret is its input key material, no
/// info) into a 32-byte AES key; the last 12 bytes are the AES-GCM IV. The ciphertext is followed by the 16-byte tag.</item>
/// <item>The public key travels as base64 X.509 SubjectPublicKeyInfo with the curve's parameters spelled out (ABDM's
/// <c>dhPublicKey.keyValue</c>); a bare uncompressed point (65 bytes) is read too. The private key is the base64 of
/// its scalar as a signed big-endian integer.</item>
/// </list>
/// A key pair and nonce are meant for one exchange: <see cref="Generate"/> makes new ones each time.
/// </summary>
public sealed class FideliusKeys
{
    public const string CryptoAlgorithm = "ECDH";
    public const string Curve = "Curve25519";
    public const string Parameters = "Curve25519/32byte random key";
    private const int NonceLength = 32;
    private const int SaltLength = 20;
    private const int IvLength = 12;
    private const int TagLength = 16;

    // Curve25519 as y² = x³ + ax + b over 2²⁵⁵ − 19, the numbers BouncyCastle for Java names "curve25519" (the .NET
    // library no longer carries that form). Not a named domain: the X.509 encoding then spells the curve out, as the
    // reference's does.
    private static readonly ECDomainParameters Domain = Curve25519Domain();

    private readonly ECPrivateKeyParameters privateKey;
    private readonly byte[] nonce;

    private FideliusKeys(ECPrivateKeyParameters privateKey, byte[] nonce)
    {
        this.privateKey = privateKey;
        this.nonce = nonce;
        var point = Domain.G.Multiply(privateKey.D).Normalize();
        PublicKey = Convert.ToBase64String(SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(new ECPublicKeyParameters(point, Domain)).GetDerEncoded());
    }

    /// <summary>The public key as base64 X.509 SubjectPublicKeyInfo: ABDM's <c>keyValue</c>.</summary>
    public string PublicKey { get; }

    /// <summary>The nonce, base64.</summary>
    public string Nonce => Convert.ToBase64String(nonce);

    /// <summary>The private key in the reference's form (base64 of the signed big-endian scalar): for test vectors only.</summary>
    public string PrivateKey => Convert.ToBase64String(privateKey.D.ToByteArray());

    /// <summary>A new key pair and nonce.</summary>
    public static FideliusKeys Generate()
    {
        var generator = new ECKeyPairGenerator(CryptoAlgorithm);
        generator.Init(new ECKeyGenerationParameters(Domain, new SecureRandom()));
        return new((ECPrivateKeyParameters)generator.GenerateKeyPair().Private, RandomNumberGenerator.GetBytes(NonceLength));
    }

    /// <summary>Key material from the reference's form of a private key and a nonce (both base64).</summary>
    public static FideliusKeys From(string privateKey, string nonce)
    {
        var scalar = new BigInteger(Decode(privateKey, "private key"));
        if (scalar.SignValue <= 0 || scalar.CompareTo(Domain.N) >= 0)
        {
            throw new FideliusException("The private key is not a scalar of Curve25519.");
        }
        return new(new ECPrivateKeyParameters(scalar, Domain), ReadNonce(nonce));
    }

    /// <summary>Encrypts <paramref name="plaintext"/> (UTF-8) for the peer; base64 of ciphertext and tag.</summary>
    public string Encrypt(string plaintext, string peerPublicKey, string peerNonce) =>
        Seal(Secret(peerPublicKey), nonce, ReadNonce(peerNonce), plaintext);

    /// <summary>
    /// For encrypting many documents for one peer: the ECDH secret computed once, and each document under a fresh nonce
    /// of its own (sent with it), so no AES-GCM key and IV ever encrypt two documents.
    /// </summary>
    public FideliusSealer For(string peerPublicKey, string peerNonce) => new(PublicKey, Secret(peerPublicKey), ReadNonce(peerNonce));

    internal static string Seal(byte[] secret, byte[] ownNonce, byte[] peerNonce, string plaintext)
    {
        var (key, iv) = Derive(secret, ownNonce, peerNonce);
        var clear = Encoding.UTF8.GetBytes(plaintext);
        var sealedBytes = new byte[clear.Length + TagLength];
        using var aes = new AesGcm(key, TagLength);
        aes.Encrypt(iv, clear, sealedBytes.AsSpan(0, clear.Length), sealedBytes.AsSpan(clear.Length));
        return Convert.ToBase64String(sealedBytes);
    }

    /// <summary>Decrypts what the peer encrypted for us; refuses anything that does not authenticate.</summary>
    public string Decrypt(string ciphertext, string peerPublicKey, string peerNonce)
    {
        var (key, iv) = Derive(Secret(peerPublicKey), nonce, ReadNonce(peerNonce));
        var sealedBytes = Decode(ciphertext, "encrypted data");
        if (sealedBytes.Length < TagLength)
        {
            throw new FideliusException("The encrypted data is shorter than its authentication tag.");
        }
        var clear = new byte[sealedBytes.Length - TagLength];
        try
        {
            using var aes = new AesGcm(key, TagLength);
            aes.Decrypt(iv, sealedBytes.AsSpan(0, clear.Length), sealedBytes.AsSpan(clear.Length), clear);
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new FideliusException("The encrypted data did not authenticate: wrong key or nonce, or altered.", e);
        }
        try
        {
            return new UTF8Encoding(false, true).GetString(clear);
        }
        catch (DecoderFallbackException e)
        {
            throw new FideliusException("The decrypted data is not UTF-8 text.", e);
        }
    }

    private byte[] Secret(string peerPublicKey)
    {
        var agreement = new ECDHBasicAgreement();
        agreement.Init(privateKey);
        return BigIntegers.AsUnsignedByteArray(agreement.GetFieldSize(), agreement.CalculateAgreement(ReadPublicKey(peerPublicKey)));
    }

    private static (byte[] Key, byte[] Iv) Derive(byte[] secret, byte[] ownNonce, byte[] peerNonce)
    {
        var mixed = new byte[NonceLength];
        for (var i = 0; i < NonceLength; i++)
        {
            mixed[i] = (byte)(ownNonce[i] ^ peerNonce[i]);
        }
        var hkdf = new HkdfBytesGenerator(new Sha256Digest());
        hkdf.Init(new HkdfParameters(secret, mixed[..SaltLength], null));
        var key = new byte[32];
        hkdf.GenerateBytes(key, 0, key.Length);
        return (key, mixed[^IvLength..]);
    }

    private static ECDomainParameters Curve25519Domain()
    {
        static BigInteger Hex(string digits) => new(digits, 16);
        var n = Hex("1000000000000000000000000000000014DEF9DEA2F79CD65812631A5CF5D3ED");
        var h = BigInteger.ValueOf(8);
        var curve = new FpCurve(
            Hex("7FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFED"),
            Hex("2AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA984914A144"),
            Hex("7B425ED097B425ED097B425ED097B425ED097B425ED097B4260B5E9C7710C864"),
            n,
            h);
        var g = curve.CreatePoint(
            Hex("2AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAD245A"),
            Hex("20AE19A1B8A086B4E01EDD2C7748D14C923D4D7E6D7C61B229E9C5A27ECED3D9"));
        return new ECDomainParameters(curve, g, n, h);
    }

    private static ECPublicKeyParameters ReadPublicKey(string base64)
    {
        var bytes = Decode(base64, "public key");
        try
        {
            if (bytes.Length == 65 && bytes[0] == 0x04)
            {
                return new ECPublicKeyParameters(Domain.Curve.DecodePoint(bytes), Domain);
            }
            if (PublicKeyFactory.CreateKey(bytes) is not ECPublicKeyParameters key
                || !key.Parameters.Curve.Equals(Domain.Curve) || !key.Parameters.G.Equals(Domain.G) || !key.Parameters.N.Equals(Domain.N))
            {
                throw new FideliusException("The public key is not a Curve25519 key.");
            }
            // Read again on our domain object, so the agreement sees one curve.
            return new ECPublicKeyParameters(Domain.Curve.DecodePoint(key.Q.GetEncoded(false)), Domain);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or SecurityUtilityException)
        {
            throw new FideliusException("The public key could not be read as a Curve25519 point.", e);
        }
    }

    private static byte[] ReadNonce(string base64)
    {
        var bytes = Decode(base64, "nonce");
        return bytes.Length == NonceLength ? bytes : throw new FideliusException($"A nonce is {NonceLength} bytes.");
    }

    private static byte[] Decode(string base64, string what)
    {
        try
        {
            return Convert.FromBase64String(base64);
        }
        catch (FormatException e)
        {
            throw new FideliusException($"The {what} is not base64.", e);
        }
    }
}

/// <summary>
/// Encrypts documents for one peer under one key pair (<see cref="FideliusKeys.For"/>): each with a fresh 32-byte nonce,
/// which travels with it as that document's nonce, so every document has its own AES key and IV.
/// </summary>
public sealed class FideliusSealer
{
    private readonly byte[] secret;
    private readonly byte[] peerNonce;

    internal FideliusSealer(string publicKey, byte[] secret, byte[] peerNonce)
    {
        PublicKey = publicKey;
        this.secret = secret;
        this.peerNonce = peerNonce;
    }

    /// <summary>The sender's public key (X.509, base64), the same for every document.</summary>
    public string PublicKey { get; }

    /// <summary>The document encrypted (base64 of ciphertext and tag) and the nonce it was encrypted under (base64).</summary>
    public (string EncryptedData, string Nonce) Seal(string plaintext)
    {
        var nonce = RandomNumberGenerator.GetBytes(32);
        return (FideliusKeys.Seal(secret, nonce, peerNonce, plaintext), Convert.ToBase64String(nonce));
    }
}
