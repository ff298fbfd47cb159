namespace Telemed.Domain.Identity;

public sealed record OtpPolicy(TimeSpan Lifetime, int MaxAttempts, TimeSpan Lockout, TimeSpan ResendCooldown)
{
    public static OtpPolicy Default { get; } = new(TimeSpan.FromMinutes(5), 5, TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(30));
}

/// <summary>The one-time sign-in code last sent to a mobile number, and how it has been used.</summary>
public sealed record OtpChallenge(
    string Mobile,
    string CodeHash,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    int FailedAttempts,
    DateTimeOffset? LockedUntil,
    bool Used)
{
    public bool IsLockedAt(DateTimeOffset now) => LockedUntil is { } until && until > now;
}

public enum OtpOutcome
{
    Verified,
    WrongCode,
    Expired,
    Locked,
    NoCodeIssued,
}

public sealed record OtpVerification(OtpOutcome Outcome, OtpChallenge? Challenge, int AttemptsLeft, DateTimeOffset? LockedUntil);

/// <summary>
/// Rules for one-time codes: a code lives five minutes, five wrong tries lock the number for a while,
/// a used code never works twice, and codes cannot be re-sent faster than the cooldown.
/// </summary>
public static class OneTimeCodes
{
    public static Result<OtpChallenge, Invalid> Issue(OtpChallenge? current, string mobile, string codeHash, DateTimeOffset now, OtpPolicy policy)
    {
        if (current is not null && current.IsLockedAt(now))
        {
            return new Invalid($"Too many wrong codes. Try again after {current.LockedUntil:HH:mm} UTC.");
        }
        if (current is not null && !current.Used && now - current.IssuedAt < policy.ResendCooldown)
        {
            var wait = policy.ResendCooldown - (now - current.IssuedAt);
            return new Invalid($"A code was sent moments ago. Wait {Math.Ceiling(wait.TotalSeconds)} seconds before asking for another.");
        }
        return new OtpChallenge(mobile, codeHash, now, now + policy.Lifetime, 0, null, false);
    }

    public static OtpVerification Verify(OtpChallenge? challenge, bool codeMatches, DateTimeOffset now, OtpPolicy policy)
    {
        if (challenge is null || challenge.Used)
        {
            return new(OtpOutcome.NoCodeIssued, challenge, 0, null);
        }
        if (challenge.IsLockedAt(now))
        {
            return new(OtpOutcome.Locked, challenge, 0, challenge.LockedUntil);
        }
        if (challenge.LockedUntil is not null || now >= challenge.ExpiresAt)
        {
            return new(OtpOutcome.Expired, challenge, 0, null);
        }
        if (codeMatches)
        {
            return new(OtpOutcome.Verified, challenge with { Used = true }, 0, null);
        }
        var failed = challenge.FailedAttempts + 1;
        if (failed >= policy.MaxAttempts)
        {
            var lockedUntil = now + policy.Lockout;
            return new(OtpOutcome.Locked, challenge with { FailedAttempts = failed, LockedUntil = lockedUntil }, 0, lockedUntil);
        }
        return new(OtpOutcome.WrongCode, challenge with { FailedAttempts = failed }, policy.MaxAttempts - failed, null);
    }
}
