using System.Security.Cryptography;
using Marten;
using Microsoft.AspNetCore.DataProtection;
using QRCoder;
using Telemed.Domain.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Identity;

/// <summary>
/// A staff member's authenticator, keyed by the account id. The secret is kept encrypted by Data Protection
/// (<see cref="MfaSecrets.Purpose"/>); <see cref="Factor"/> is null while an enrolment waits for its first code.
/// </summary>
public sealed record StaffMfa(Guid Id, string ProtectedSecret, MfaFactor? Factor, DateTimeOffset StartedAt)
{
    public bool Enabled => Factor is not null;
}

/// <summary>What the password step of a sign-in leads to: the authenticator's code, or (an admin without MFA) enrolment.</summary>
public enum MfaStep
{
    Code,
    Enrol,
}

/// <summary>
/// The right password of an account that needs a second step: valid <see cref="MfaSecrets.ChallengeLifetime"/> and
/// once, stored only as the hash of the token the client holds.
/// </summary>
public sealed record MfaChallenge(string Id, Guid StaffId, MfaStep Step, DateTimeOffset ExpiresAt, DateTimeOffset? UsedAt = null);

public sealed record MfaEnrolled(Guid StaffId, DateTimeOffset At);

public sealed record MfaDisabled(Guid StaffId, DateTimeOffset At);

/// <summary>An admin removed another staff member's authenticator (a lost phone); the staff member enrols again.</summary>
public sealed record MfaReset(Guid StaffId, Guid By, DateTimeOffset At);

/// <summary>The staff member took new recovery codes; the ones before stopped working.</summary>
public sealed record RecoveryCodesRenewed(Guid StaffId, DateTimeOffset At);

public sealed record RecoveryCodeUsed(Guid StaffId, int Left, DateTimeOffset At);

/// <summary>Encrypts authenticator secrets and issues the sign-in challenges of the second step.</summary>
public sealed class MfaSecrets(IDataProtectionProvider dataProtection, TimeProvider time)
{
    public const string Purpose = "Telemed.Identity.TotpSecret";
    public const string Issuer = "Telemed";
    public static readonly TimeSpan ChallengeLifetime = TimeSpan.FromMinutes(5);

    private readonly IDataProtector protector = dataProtection.CreateProtector(Purpose);

    public string Protect(byte[] secret) => Convert.ToBase64String(protector.Protect(secret));

    public byte[] Unprotect(StaffMfa mfa) => protector.Unprotect(Convert.FromBase64String(mfa.ProtectedSecret));

    /// <summary>Adds a challenge to the session and returns its token (the only copy); the caller saves.</summary>
    public (string Token, MfaChallenge Challenge) Challenge(IDocumentSession session, Guid staffId, MfaStep step)
    {
        var token = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(RandomNumberGenerator.GetBytes(32));
        var challenge = new MfaChallenge(Tokens.Hash(token), staffId, step, time.GetUtcNow() + ChallengeLifetime);
        session.Insert(challenge);
        return (token, challenge);
    }

    /// <summary>Starts (or starts over) an enrolment: a new secret, shown once in what this returns; the caller saves.</summary>
    public MfaEnrolment Start(IDocumentSession session, StaffAccount staff)
    {
        var secret = TotpCodes.NewSecret();
        session.Store(new StaffMfa(staff.Id, Protect(secret), null, time.GetUtcNow()));
        var uri = TotpCodes.Uri(secret, Issuer, staff.Email);
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        var png = new PngByteQRCode(data).GetGraphic(6);
        return new MfaEnrolment(TotpCodes.Base32(secret), uri, $"data:image/png;base64,{Convert.ToBase64String(png)}");
    }

    /// <summary>
    /// Turns a pending enrolment on with the first code it shows, and returns the recovery codes to show once; null
    /// when the code is not the authenticator's. The caller saves, then journals the enrolment (<see cref="AccountJournal"/>).
    /// </summary>
    public IReadOnlyList<string>? Confirm(IDocumentSession session, StaffMfa pending, string code)
    {
        var now = time.GetUtcNow();
        if (TotpCodes.Match(Unprotect(pending), code.Trim(), now) is not { } step)
        {
            return null;
        }
        var recovery = RecoveryCodes.New();
        session.Store(pending with { Factor = new MfaFactor(step, RecoveryCodes.Hashes(recovery)) });
        return recovery;
    }

    /// <summary>Seeds an enrolled authenticator with a known secret (the demo admin's); the caller saves.</summary>
    public void Enrolled(IDocumentSession session, Guid staffId, byte[] secret) =>
        session.Store(new StaffMfa(staffId, Protect(secret), new MfaFactor(0, []), time.GetUtcNow()));
}

/// <summary>An enrolment's secret, shown once: as text (base32), as the <c>otpauth://</c> URI and as that URI's QR code (PNG data URL).</summary>
public sealed record MfaEnrolment(string Secret, string OtpauthUri, string QrCode);
