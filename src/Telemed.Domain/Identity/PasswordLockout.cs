using System.Security.Cryptography;
using System.Text;

namespace Telemed.Domain.Identity;

/// <summary>
/// Wrong passwords given for one email since its last success, and the locks since: keyed by the email, not the account,
/// so an email no one has behaves exactly like a staff member's and a lock gives nothing away.
/// </summary>
public sealed record PasswordAttempts(string Id, int Failures = 0, int Lockouts = 0, DateTimeOffset? LockedUntil = null)
{
    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;

    /// <summary>The document id for an email: its SHA-256, so the store holds no address that was only guessed.</summary>
    public static string Key(string email) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(email.Trim().ToLowerInvariant())));
}

/// <summary>
/// After <see cref="MaxFailures"/> wrong passwords the email is locked for <see cref="FirstLock"/>, each further lock twice
/// the one before up to <see cref="MaxLock"/>; a right password starts over. During a lock no password is tried.
/// </summary>
public static class PasswordLockout
{
    public const int MaxFailures = 5;
    public static readonly TimeSpan FirstLock = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxLock = TimeSpan.FromHours(1);

    public static PasswordAttempts Failed(PasswordAttempts attempts, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(attempts);
        var failures = attempts.Failures + 1;
        return failures < MaxFailures
            ? attempts with { Failures = failures }
            : attempts with { Failures = 0, Lockouts = attempts.Lockouts + 1, LockedUntil = now + Backoff.Doubling(FirstLock, MaxLock, attempts.Lockouts) };
    }
}

public static class Backoff
{
    /// <summary>The <paramref name="earlier"/>-th wait after the first: <paramref name="first"/> doubled that many times, at most <paramref name="max"/>.</summary>
    public static TimeSpan Doubling(TimeSpan first, TimeSpan max, int earlier) =>
        earlier >= 30 ? max : TimeSpan.FromTicks(Math.Min(max.Ticks, first.Ticks * (1L << Math.Max(0, earlier))));
}
