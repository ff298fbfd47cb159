using Telemed.Domain.Identity;

namespace Telemed.Domain.Tests.Identity;

public class PasswordLockoutTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static PasswordAttempts FailTimes(PasswordAttempts attempts, int times)
    {
        for (var i = 0; i < times; i++)
        {
            attempts = PasswordLockout.Failed(attempts, Now);
        }
        return attempts;
    }

    [Fact]
    public void The_fifth_wrong_password_locks_for_a_minute_and_each_further_lock_doubles_up_to_an_hour()
    {
        var four = FailTimes(new PasswordAttempts("x"), 4);
        four.ShouldBe(new PasswordAttempts("x", 4));
        four.IsLockedAt(Now).ShouldBeFalse();

        var locked = PasswordLockout.Failed(four, Now);
        locked.ShouldBe(new PasswordAttempts("x", 0, 1, Now.AddMinutes(1)));
        locked.IsLockedAt(Now.AddSeconds(59)).ShouldBeTrue();
        locked.IsLockedAt(Now.AddMinutes(1)).ShouldBeFalse();

        FailTimes(locked, 5).LockedUntil.ShouldBe(Now.AddMinutes(2));
        FailTimes(locked, 10).LockedUntil.ShouldBe(Now.AddMinutes(4));
        FailTimes(locked, 35).LockedUntil.ShouldBe(Now.AddHours(1), "64 minutes would be past the cap");
        FailTimes(locked, 500).LockedUntil.ShouldBe(Now.AddHours(1));
    }

    [Fact]
    public void The_key_is_the_emails_hash_whatever_its_case_or_spaces()
    {
        PasswordAttempts.Key(" Asha.Verma@Telemed.local ").ShouldBe(PasswordAttempts.Key("asha.verma@telemed.local"));
        PasswordAttempts.Key("asha.verma@telemed.local").ShouldNotContain("asha");
        PasswordAttempts.Key("asha.verma@telemed.local").Length.ShouldBe(64);
    }

    [Fact]
    public void Doubling_starts_at_the_first_wait_and_stops_at_the_cap()
    {
        Backoff.Doubling(TimeSpan.FromMinutes(15), TimeSpan.FromDays(1), 0).ShouldBe(TimeSpan.FromMinutes(15));
        Backoff.Doubling(TimeSpan.FromMinutes(15), TimeSpan.FromDays(1), 3).ShouldBe(TimeSpan.FromHours(2));
        Backoff.Doubling(TimeSpan.FromMinutes(15), TimeSpan.FromDays(1), 7).ShouldBe(TimeSpan.FromDays(1));
        Backoff.Doubling(TimeSpan.FromMinutes(15), TimeSpan.FromDays(1), 62).ShouldBe(TimeSpan.FromDays(1));
    }
}
