namespace Telemed.Domain.Identity;

public sealed record OtpPolicy(TimeSpan Lifetime, int MaxAttempts, TimeSpan Lockout, TimeSpan ResendCooldown, int MaxSendsPerDay, TimeSpan MaxLockout)
{
    public static OtpPolicy Default { get; } = new(TimeSpan.FromMinutes(5), 5, TimeSpan.FromMinutes(15), TimeSpan.FromSeconds(30), 10, TimeSpan.FromDays(1));

    /// <summary>The first lock lasts <see cref="Lockout"/>, each further one twice the one before, up to <see cref="MaxLockout"/>.</summary>
    public TimeSpan LockoutAfter(int earlierLockouts) => Backoff.Doubling(Lockout, MaxLockout, earlierLockouts);
}

/// <summary>
/// The one-time sign-in code last sent to a mobile number, and the number's record across codes: wrong codes since the
/// last lock or success (a new code does not wipe them), locks since the last success (each lasts twice the one before),
/// and how many codes went out on the day of the last one.
/// </summary>
public sealed record OtpChallenge(
    string Mobile,
    string CodeHash,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    int FailedAttempts,
    DateTimeOffset? LockedUntil,
    bool Used,
    int Lockouts = 0,
    DateOnly? SendDay = null,
    int SentThatDay = 0)
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
/// Rules for one-time codes: a code lives five minutes, five wrong tries in a row on a number (whatever codes they were
/// against) lock it, each lock twice as long as the one before until a right code, a used code never works twice, and
/// codes cannot be re-sent faster than the cooldown nor more often than the daily cap (days in UTC).
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
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var sentToday = current?.SendDay == today ? current.SentThatDay : 0;
        if (sentToday >= policy.MaxSendsPerDay)
        {
            return new Invalid($"This number has been sent {sentToday} codes today, the most it can have. Try again tomorrow.");
        }
        // A lock that has ended is cleared for the new code; the wrong tries and the locks so far stay with the number.
        return (current ?? new OtpChallenge(mobile, codeHash, now, now, 0, null, false)) with
        {
            CodeHash = codeHash, IssuedAt = now, ExpiresAt = now + policy.Lifetime, LockedUntil = null, Used = false, SendDay = today, SentThatDay = sentToday + 1,
        };
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
            return new(OtpOutcome.Verified, Succeeded(challenge), 0, null);
        }
        var failed = challenge.FailedAttempts + 1;
        if (failed >= policy.MaxAttempts)
        {
            var lockedUntil = now + policy.LockoutAfter(challenge.Lockouts);
            return new(OtpOutcome.Locked, challenge with { FailedAttempts = 0, Lockouts = challenge.Lockouts + 1, LockedUntil = lockedUntil }, 0, lockedUntil);
        }
        return new(OtpOutcome.WrongCode, challenge with { FailedAttempts = failed }, policy.MaxAttempts - failed, null);
    }

    /// <summary>A right code is used up and the number starts over: no wrong tries, no locks to double.</summary>
    public static OtpChallenge Succeeded(OtpChallenge challenge) => challenge with { Used = true, FailedAttempts = 0, Lockouts = 0 };
}
