using Telemed.Domain.Abdm;
using Telemed.Domain.Identity;

namespace Telemed.Domain.Tests.Abdm;

public class LinkRetryTests
{
    private static readonly TimeSpan First = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan Longest = TimeSpan.FromHours(1);

    [Theory]
    [InlineData(1, 30)]
    [InlineData(2, 60)]
    [InlineData(3, 120)]
    [InlineData(7, 1920)]
    [InlineData(8, 3600)]
    [InlineData(1000, 3600)]
    public void Each_retry_waits_twice_as_long_as_the_last_up_to_the_ceiling(int failed, int seconds) =>
        LinkRetry.Delay(failed, First, Longest).ShouldBe(TimeSpan.FromSeconds(seconds));

    [Fact]
    public void A_link_never_tried_goes_at_once() => LinkRetry.Delay(0, First, Longest).ShouldBe(TimeSpan.Zero);
}

public class DiscoveryTests
{
    private static readonly DiscoveryCandidate Kavita = new(Guid.NewGuid(), "91-1000-2000-3000", "kavita@sbx", "Kavita Rao", Sex.Female, 1979, "+919800000001");
    private static readonly DiscoveryCandidate Anil = new(Guid.NewGuid(), null, null, "Anil Rao", Sex.Male, 1975, "+919800000001");
    private static readonly DiscoveryCandidate Meena = new(Guid.NewGuid(), null, null, "Meena Rao", Sex.Female, 2004, "+919800000001");

    private static DiscoveryQuery Query(string address, string? name = null, Sex sex = Sex.Unknown, int? year = null, params DiscoveryIdentifier[] identifiers) =>
        new(address, name, sex, year, identifiers);

    [Fact]
    public void A_patient_whose_verified_abha_address_is_asked_for_is_found_by_it() =>
        Discovery.Match(Query("KAVITA@sbx"), [Kavita, Anil, Meena]).ShouldBe((Kavita, DiscoveryMatch.AbhaAddress));

    [Fact]
    public void A_verified_abha_number_finds_its_patient_with_or_without_dashes() =>
        Discovery.Match(Query("other@sbx", identifiers: new DiscoveryIdentifier("ABHA_NUMBER", "91100020003000")), [Kavita, Anil])
            .ShouldBe((Kavita, DiscoveryMatch.AbhaNumber));

    [Fact]
    public void Mobile_name_sex_and_year_of_birth_together_find_one_of_a_family_sharing_a_mobile() =>
        Discovery.Match(Query("anil@sbx", " anil  RAO", Sex.Male, 1975, new DiscoveryIdentifier("MOBILE", "9800000001")), [Kavita, Anil, Meena])
            .ShouldBe((Anil, DiscoveryMatch.Mobile));

    [Theory]
    [InlineData("Anil Kumar Rao", Sex.Male, 1975)]
    [InlineData("Anil Rao", Sex.Female, 1975)]
    [InlineData("Anil Rao", Sex.Male, 1976)]
    public void Any_demographic_that_differs_finds_nobody(string name, Sex sex, int year) =>
        Discovery.Match(Query("anil@sbx", name, sex, year, new DiscoveryIdentifier("MOBILE", "9800000001")), [Kavita, Anil, Meena]).ShouldBeNull();

    [Fact]
    public void An_unverified_mobile_finds_nobody()
    {
        var query = Query("anil@sbx", "Anil Rao", Sex.Male, 1975);

        Discovery.Match(query, [Anil]).ShouldBeNull();
    }

    [Fact]
    public void Two_patients_alike_in_every_demographic_find_nobody()
    {
        var twin = Anil with { PatientId = Guid.NewGuid() };

        Discovery.Match(Query("anil@sbx", "Anil Rao", Sex.Male, 1975, new DiscoveryIdentifier("MOBILE", "9800000001")), [Anil, twin]).ShouldBeNull();
    }

    [Fact]
    public void A_patient_who_proved_another_abha_is_not_found_by_demographics() =>
        Discovery.Match(Query("someone.else@sbx", "Kavita Rao", Sex.Female, 1979, new DiscoveryIdentifier("MOBILE", "9800000001")), [Kavita]).ShouldBeNull();
}

public class LinkCodeTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly LinkCode Fresh = new(Now.AddMinutes(10), 0, false);

    [Fact]
    public void The_right_code_in_time_links_once()
    {
        var first = LinkCodes.Check(Fresh, matches: true, Now);

        first.Outcome.ShouldBe(LinkCodeOutcome.Linked);
        LinkCodes.Check(first.Code, matches: true, Now).Outcome.ShouldBe(LinkCodeOutcome.AlreadyUsed);
    }

    [Fact]
    public void Wrong_codes_count_down_and_the_last_locks_even_the_right_one_out()
    {
        var first = LinkCodes.Check(Fresh, matches: false, Now);
        first.ShouldBe(new LinkCodeCheck(LinkCodeOutcome.WrongCode, Fresh with { WrongAttempts = 1 }, 2));
        var second = LinkCodes.Check(first.Code, matches: false, Now);
        second.AttemptsLeft.ShouldBe(1);
        var third = LinkCodes.Check(second.Code, matches: false, Now);
        third.Outcome.ShouldBe(LinkCodeOutcome.Locked);

        LinkCodes.Check(third.Code, matches: true, Now).Outcome.ShouldBe(LinkCodeOutcome.Locked);
    }

    [Fact]
    public void A_right_code_after_its_expiry_is_refused() =>
        LinkCodes.Check(Fresh, matches: true, Fresh.ExpiresAt).Outcome.ShouldBe(LinkCodeOutcome.Expired);
}
