using System.ComponentModel.DataAnnotations;

namespace Telemed.Server.Identity;

public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>PEM file of the ES256 (P-256) key that signs access tokens; created on first start if missing.</summary>
    [Required]
    public string SigningKeyPath { get; set; } = ".data/keys/access-token-es256.pem";

    /// <summary>
    /// PEM files of other keys whose access tokens are accepted; they never sign. A rotation puts the next key here on
    /// every node first, then makes it the signing key with the old one here until the old one's tokens have expired.
    /// </summary>
    public IList<string> AcceptedSigningKeyPaths { get; } = [];

    /// <summary>
    /// Where Data Protection keeps its key ring (it encrypts staff authenticator secrets and ABDM link tokens): a
    /// directory every node shares and that outlives restarts. Unset, the framework's default (the user's profile, or
    /// only memory where there is none) serves one node that is never restarted, as in tests.
    /// </summary>
    public string? DataProtectionKeysPath { get; set; }

    [Required]
    public string Issuer { get; set; } = "telemed";

    [Required]
    public string Audience { get; set; } = "telemed";

    /// <summary>Guests' tokens carry this audience, which only a consultation's call accepts.</summary>
    public string GuestAudience => $"{Audience}/guest";

    [Range(1, 120)]
    public int AccessTokenMinutes { get; set; } = 15;

    [Range(1, 90)]
    public int RefreshTokenDays { get; set; } = 7;

    /// <summary>
    /// Staff whose session has not refreshed for this long must sign in again (HIPAA automatic logoff): a doctor's
    /// unattended screen should not stay signed in for the refresh token's whole week. Patients are not affected.
    /// </summary>
    [Range(1, 1440)]
    public int StaffIdleMinutes { get; set; } = 30;

    /// <summary>A staff member's sign-in session ends this long after the sign-in, however often it refreshes (a shift).</summary>
    [Range(1, 168)]
    public int StaffSessionHours { get; set; } = 12;

    /// <summary>A patient's sign-in session ends this long after the sign-in, however often it refreshes.</summary>
    [Range(1, 365)]
    public int PatientSessionDays { get; set; } = 30;

    /// <summary>
    /// How often each node reads the sessions revoked since its last look; an access token of a revoked session is
    /// refused on REST from then on, instead of working until it expires.
    /// </summary>
    [Range(1, 60)]
    public int RevokedSessionPollSeconds { get; set; } = 2;

    /// <summary>How often live hub connections are checked against revoked sessions and deactivated accounts.</summary>
    [Range(1, 60)]
    public int RevocationCheckSeconds { get; set; } = 20;

    /// <summary>
    /// When set, tokens from this external OpenID Connect issuer are accepted instead of Telemed's own,
    /// and Telemed's sign-in endpoints are switched off.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>OWASP's floor for PBKDF2 (it asks 600,000 of HMAC-SHA256; ASP.NET Core Identity's hashes use HMAC-SHA512, stronger per iteration).</summary>
    public const int MinimumPasswordHashIterations = 600_000;

    /// <summary>
    /// PBKDF2 iterations of a staff password's hash. A hash made with fewer is replaced at the next successful sign-in,
    /// so raising this locks nobody out. Below <see cref="MinimumPasswordHashIterations"/> only in the Testing and Benchmark environments (they register
    /// thousands of staff to set up, and measure no sign-in).
    /// </summary>
    [Range(1, 100_000_000)]
    public int PasswordHashIterations { get; set; } = MinimumPasswordHashIterations;

    /// <summary>The claim that carries the Telemed role in externally issued tokens.</summary>
    public string RoleClaim { get; set; } = "role";
}

public sealed class OtpOptions
{
    public const string Section = "Otp";

    [Range(1, 30)]
    public int LifetimeMinutes { get; set; } = 5;

    [Range(1, 20)]
    public int MaxAttempts { get; set; } = 5;

    [Range(1, 1440)]
    public int LockoutMinutes { get; set; } = 15;

    [Range(0, 600)]
    public int ResendCooldownSeconds { get; set; } = 30;

    /// <summary>Codes one number may be sent per day (UTC): each is an SMS someone pays for and a chance to guess.</summary>
    [Range(1, 1000)]
    public int MaxSendsPerDay { get; set; } = 10;

    /// <summary>The longest a lock lasts, however many came before it (each lasts twice the one before).</summary>
    [Range(1, 10080)]
    public int MaxLockoutMinutes { get; set; } = 1440;
}
