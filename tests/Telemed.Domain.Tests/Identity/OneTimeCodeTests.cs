using Telemed.Domain.Identity;

namespace Telemed.Domain.Tests.Identity;

public class OneTimeCodeTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
    private static readonly OtpPolicy Policy = OtpPolicy.Default;

    private static OtpChallenge Issued() => OneTimeCodes.Issue(null, "+919876543210", "hash", Now, Policy).Value;

    [Fact]
    public void A_fresh_code_expires_after_five_minutes()
    {
        var challenge = Issued();
        challenge.ExpiresAt.ShouldBe(Now.AddMinutes(5));
        OneTimeCodes.Verify(challenge, codeMatches: true, Now.AddMinutes(5), Policy).Outcome.ShouldBe(OtpOutcome.Expired);
    }

    [Fact]
    public void The_right_code_verifies_once_and_never_again()
    {
        var first = OneTimeCodes.Verify(Issued(), codeMatches: true, Now.AddMinutes(1), Policy);
        first.Outcome.ShouldBe(OtpOutcome.Verified);
        OneTimeCodes.Verify(first.Challenge, codeMatches: true, Now.AddMinutes(2), Policy).Outcome.ShouldBe(OtpOutcome.NoCodeIssued);
    }

    [Fact]
    public void Wrong_codes_count_down_the_attempts_left()
    {
        var result = OneTimeCodes.Verify(Issued(), codeMatches: false, Now, Policy);
        result.Outcome.ShouldBe(OtpOutcome.WrongCode);
        result.AttemptsLeft.ShouldBe(4);
    }

    [Fact]
    public void Five_wrong_codes_lock_the_number_even_against_the_right_code()
    {
        var challenge = Issued();
        OtpVerification result = null!;
        for (var i = 0; i < 5; i++)
        {
            result = OneTimeCodes.Verify(challenge, codeMatches: false, Now, Policy);
            challenge = result.Challenge!;
        }
        result.Outcome.ShouldBe(OtpOutcome.Locked);
        result.LockedUntil.ShouldBe(Now + Policy.Lockout);
        OneTimeCodes.Verify(challenge, codeMatches: true, Now.AddMinutes(1), Policy).Outcome.ShouldBe(OtpOutcome.Locked);
    }

    [Fact]
    public void A_locked_number_gets_no_new_code_until_the_lock_ends()
    {
        var locked = Issued() with { FailedAttempts = 5, LockedUntil = Now.AddMinutes(15) };
        OneTimeCodes.Issue(locked, locked.Mobile, "hash2", Now.AddMinutes(10), Policy).Error.Message.ShouldContain("Too many wrong codes");
        OneTimeCodes.Issue(locked, locked.Mobile, "hash2", Now.AddMinutes(16), Policy).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void The_code_a_lock_was_set_on_stays_dead_after_the_lock_ends()
    {
        var locked = Issued() with { FailedAttempts = 5, LockedUntil = Now.AddMinutes(1) };
        OneTimeCodes.Verify(locked, codeMatches: true, Now.AddMinutes(2), Policy).Outcome.ShouldBe(OtpOutcome.Expired);
    }

    [Fact]
    public void Codes_cannot_be_resent_faster_than_the_cooldown()
    {
        var challenge = Issued();
        OneTimeCodes.Issue(challenge, challenge.Mobile, "hash2", Now.AddSeconds(10), Policy).Error.Message.ShouldContain("20 seconds");
        OneTimeCodes.Issue(challenge, challenge.Mobile, "hash2", Now.AddSeconds(31), Policy).Value.FailedAttempts.ShouldBe(0);
    }

    private static OtpVerification Fail(OtpChallenge challenge, int times, DateTimeOffset at)
    {
        OtpVerification result = null!;
        for (var i = 0; i < times; i++)
        {
            result = OneTimeCodes.Verify(challenge, codeMatches: false, at, Policy);
            challenge = result.Challenge!;
        }
        return result;
    }

    [Fact]
    public void A_new_code_does_not_wipe_the_wrong_tries_before_it()
    {
        var afterThree = Fail(Issued(), 3, Now).Challenge!;
        var next = OneTimeCodes.Issue(afterThree, afterThree.Mobile, "hash2", Now.AddMinutes(1), Policy).Value;

        Fail(next, 1, Now.AddMinutes(1)).AttemptsLeft.ShouldBe(1);
        Fail(next, 2, Now.AddMinutes(1)).Outcome.ShouldBe(OtpOutcome.Locked);
    }

    [Fact]
    public void Each_lock_lasts_twice_the_one_before_up_to_a_day_and_a_right_code_starts_over()
    {
        var at = Now;
        var challenge = Issued();
        foreach (var minutes in new[] { 15, 30, 60, 120, 240, 480, 960, 1440, 1440 })
        {
            var locked = Fail(challenge, 5, at);
            locked.LockedUntil.ShouldBe(at.AddMinutes(minutes));
            at = locked.LockedUntil!.Value;
            challenge = OneTimeCodes.Issue(locked.Challenge, challenge.Mobile, "hash", at, Policy with { MaxSendsPerDay = 100 }).Value;
        }

        var verified = OneTimeCodes.Verify(challenge, codeMatches: true, at, Policy).Challenge!;
        var fresh = OneTimeCodes.Issue(verified, verified.Mobile, "hash", at.AddMinutes(1), Policy with { MaxSendsPerDay = 100 }).Value;
        Fail(fresh, 5, at.AddMinutes(1)).LockedUntil.ShouldBe(at.AddMinutes(16));
    }

    [Fact]
    public void A_number_gets_at_most_ten_codes_a_day()
    {
        var challenge = Issued();
        for (var sent = 2; sent <= 10; sent++)
        {
            challenge = OneTimeCodes.Issue(challenge, challenge.Mobile, "hash", Now.AddMinutes(sent), Policy).Value;
        }

        OneTimeCodes.Issue(challenge, challenge.Mobile, "hash", Now.AddMinutes(11), Policy).Error.Message.ShouldContain("10 codes today");
        OneTimeCodes.Issue(challenge, challenge.Mobile, "hash", Now.AddDays(1), Policy).Value.SentThatDay.ShouldBe(1);
    }
}
