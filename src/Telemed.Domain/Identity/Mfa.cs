using System.Collections.Immutable;
using System.Security.Cryptography;
using System.Text;
using OtpNet;

namespace Telemed.Domain.Identity;

public enum MfaError
{
    /// <summary>Neither six digits nor a recovery code.</summary>
    Malformed,

    /// <summary>Not the authenticator's code for now (one step either side), nor an unused recovery code.</summary>
    WrongCode,

    /// <summary>The authenticator's code of a time step already used: a code works once.</summary>
    Replayed,
}

/// <summary>How a second factor was proved: the authenticator's code or one of the recovery codes.</summary>
public enum MfaMethod
{
    Totp,
    RecoveryCode,
}

/// <summary>
/// A staff member's second factor once enrolled: the last authenticator time step accepted (a code is refused at or
/// before it, so an overheard code cannot be used again) and the hashes of the recovery codes not yet used.
/// </summary>
public sealed record MfaFactor(long LastStep, ImmutableList<string> RecoveryCodeHashes)
{
    /// <summary>Checks a code given at sign-in or to disable MFA, and returns the factor as it is after that use.</summary>
    public Result<(MfaFactor Factor, MfaMethod Method), MfaError> Use(byte[] secret, string? code, DateTimeOffset now)
    {
        var given = (code ?? "").Trim();
        if (TotpCodes.IsShaped(given))
        {
            var step = TotpCodes.Match(secret, given, now);
            return step is not { } matched ? MfaError.WrongCode
                : matched <= LastStep ? MfaError.Replayed
                : (this with { LastStep = matched }, MfaMethod.Totp);
        }
        if (RecoveryCodes.Normalise(given) is not { } recovery)
        {
            return MfaError.Malformed;
        }
        var hash = RecoveryCodes.Hash(recovery);
        return RecoveryCodeHashes.Contains(hash)
            ? (this with { RecoveryCodeHashes = RecoveryCodeHashes.Remove(hash) }, MfaMethod.RecoveryCode)
            : MfaError.WrongCode;
    }
}

/// <summary>RFC 6238 time-based codes as authenticator apps make them: HMAC-SHA1, 30-second steps, 6 digits.</summary>
public static class TotpCodes
{
    /// <summary>160 bits, RFC 4226's recommended length for an HMAC-SHA1 key.</summary>
    public const int SecretBytes = 20;

    public const int StepSeconds = 30;

    public const int Digits = 6;

    /// <summary>One step either side of now, for a phone's clock a little off and the seconds it takes to type.</summary>
    private static readonly VerificationWindow Window = new(previous: 1, future: 1);

    public static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SecretBytes);

    public static string Base32(byte[] secret) => Base32Encoding.ToString(secret);

    public static byte[] FromBase32(string secret) => Base32Encoding.ToBytes(secret);

    /// <summary>The <c>otpauth://</c> URI an authenticator app reads from a QR code (Key Uri Format).</summary>
    public static string Uri(byte[] secret, string issuer, string account) =>
        new OtpUri(OtpType.Totp, secret, account, issuer, OtpHashMode.Sha1, Digits, StepSeconds).ToString();

    public static bool IsShaped(string code) => code.Length == Digits && code.All(char.IsAsciiDigit);

    /// <summary>The time step <paramref name="code"/> belongs to, within one step of <paramref name="now"/>; null when it is none.</summary>
    public static long? Match(byte[] secret, string code, DateTimeOffset now) =>
        IsShaped(code) && new Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits).VerifyTotp(now.UtcDateTime, code, out var step, Window) ? step : null;

    /// <summary>The code for <paramref name="at"/>: what an authenticator app shows then.</summary>
    public static string Code(byte[] secret, DateTimeOffset at) => new Totp(secret, StepSeconds, OtpHashMode.Sha1, Digits).ComputeTotp(at.UtcDateTime);

    /// <summary>The time step of <paramref name="at"/> (RFC 6238's T).</summary>
    public static long Step(DateTimeOffset at) => at.ToUnixTimeSeconds() / StepSeconds;
}

/// <summary>
/// Ten single-use codes for when the authenticator is lost, shown once as <c>xxxx-xxxx-xxxx</c> (60 random bits each)
/// and kept only as SHA-256 hashes: random codes that long need no slow hash.
/// </summary>
public static class RecoveryCodes
{
    public const int Count = 10;

    private const int Length = 12;

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

    public static IReadOnlyList<string> New() =>
        [.. Enumerable.Range(0, Count).Select(_ => Format(new string(Enumerable.Range(0, Length).Select(_ => Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)]).ToArray())))];

    /// <summary>The code without dashes, spaces or capitals; null when it cannot be a recovery code.</summary>
    public static string? Normalise(string code)
    {
        var letters = new string(code.Where(c => c is not ('-' or ' ')).Select(char.ToLowerInvariant).ToArray());
        return letters.Length == Length && letters.All(c => Alphabet.Contains(c, StringComparison.Ordinal)) ? letters : null;
    }

    public static string Hash(string normalised) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));

    public static ImmutableList<string> Hashes(IEnumerable<string> codes) => [.. codes.Select(code => Hash(Normalise(code)!))];

    private static string Format(string letters) => $"{letters[..4]}-{letters[4..8]}-{letters[8..]}";
}
