using Telemed.Domain.Abdm;

namespace Telemed.Domain.Tests.Abdm;

public class ConsentArtefactTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly ConsentedCareContext Visit = new("patient-1", "visit-1");

    private static readonly ConsentArtefact Granted = new(
        "consent-1", "kavita@sbx", "HIU-1", "CAREMGT", "Care Management", [HiTypes.OpConsultation], Now.AddDays(-30), Now.AddDays(-1), Now.AddDays(7),
        null, [Visit], Now.AddDays(-2), null);

    [Fact]
    public void A_request_gets_the_overlap_of_its_range_and_the_consents()
    {
        var scope = Granted.Scope(Now.AddDays(-60), Now.AddDays(-10), Now).Value;

        scope.From.ShouldBe(Now.AddDays(-30));
        scope.To.ShouldBe(Now.AddDays(-10));
        scope.Covers(Now.AddDays(-20)).ShouldBeTrue();
        scope.Covers(Now.AddDays(-5)).ShouldBeFalse();
        scope.Covers(Now.AddDays(-31)).ShouldBeFalse();
    }

    [Fact]
    public void Only_the_named_care_contexts_and_types_are_covered()
    {
        var scope = Granted.Scope(Now.AddDays(-30), Now, Now).Value;

        scope.Covers(Visit).ShouldBeTrue();
        scope.Covers(new ConsentedCareContext("patient-1", "visit-2")).ShouldBeFalse();
        scope.Covers(new ConsentedCareContext("patient-2", "visit-1")).ShouldBeFalse();
        scope.Covers(HiTypes.OpConsultation).ShouldBeTrue();
        scope.Covers(HiTypes.Prescription).ShouldBeFalse();
    }

    [Fact]
    public void A_revoked_consent_covers_nothing() =>
        (Granted with { RevokedAt = Now.AddHours(-1) }).Scope(Now.AddDays(-30), Now, Now).Error.Message.ShouldContain("revoked");

    [Fact]
    public void A_consent_past_its_expiry_covers_nothing()
    {
        Granted.Scope(Now.AddDays(-30), Now, Now.AddDays(7)).Error.Message.ShouldContain("expired");
        Granted.Scope(Now.AddDays(-30), Now, Now.AddDays(7).AddTicks(-1)).IsSuccess.ShouldBeTrue();
    }

    [Fact]
    public void A_request_entirely_outside_the_consents_range_is_refused() =>
        Granted.Scope(Now.AddDays(-90), Now.AddDays(-31), Now).Error.Message.ShouldContain("outside");
}
