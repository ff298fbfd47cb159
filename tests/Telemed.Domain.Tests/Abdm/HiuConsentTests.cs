using Telemed.Domain.Abdm;

namespace Telemed.Domain.Tests.Abdm;

public class HiuConsentTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private static ConsentAsk? Parse(
        string? purpose = "CAREMGT", string[]? types = null, DateTimeOffset? from = null, DateTimeOffset? to = null, DateTimeOffset? expiresAt = null,
        FieldErrors? errors = null) =>
        ConsentAsk.Parse(purpose, types ?? [HiTypes.Prescription], from ?? Now.AddYears(-1), to ?? Now, expiresAt ?? Now.AddDays(30), Now, errors ?? new FieldErrors());

    [Fact]
    public void A_request_with_a_purpose_types_a_past_range_and_a_future_expiry_is_taken()
    {
        var ask = Parse(types: [HiTypes.Prescription, HiTypes.OpConsultation, HiTypes.Prescription]).ShouldNotBeNull();

        ask.PurposeCode.ShouldBe("CAREMGT");
        ask.HiTypes.ShouldBe([HiTypes.Prescription, HiTypes.OpConsultation]);
        ask.ExpiresAt.ShouldBe(Now.AddDays(30));
    }

    [Fact]
    public void Every_wrong_field_is_named_at_once()
    {
        var errors = new FieldErrors();

        Parse("CURIOSITY", ["Horoscope"], from: Now, to: Now.AddDays(-1), expiresAt: Now.AddYears(2), errors: errors).ShouldBeNull();

        errors.Count.ShouldBe(4);
        var fields = errors.ToDictionary().Keys;
        fields.ShouldBe(["purpose", "hiTypes", "from", "expiresAt"], ignoreOrder: true);
    }

    [Fact]
    public void Records_from_the_future_and_an_expiry_already_past_are_refused()
    {
        var future = new FieldErrors();
        Parse(from: Now.AddDays(1), to: Now.AddDays(2), errors: future).ShouldBeNull();
        future.ToDictionary().Keys.ShouldBe(["from"]);

        var past = new FieldErrors();
        Parse(expiresAt: Now, errors: past).ShouldBeNull();
        past.ToDictionary().Keys.ShouldBe(["expiresAt"]);
    }

    [Theory]
    [InlineData(ConsentRequestStatus.Requested, ConsentRequestStatus.Granted)]
    [InlineData(ConsentRequestStatus.Requested, ConsentRequestStatus.Denied)]
    [InlineData(ConsentRequestStatus.Requested, ConsentRequestStatus.Expired)]
    [InlineData(ConsentRequestStatus.Granted, ConsentRequestStatus.Revoked)]
    [InlineData(ConsentRequestStatus.Granted, ConsentRequestStatus.Expired)]
    [InlineData(ConsentRequestStatus.Granted, ConsentRequestStatus.Granted)]
    public void A_consent_request_moves_forward(ConsentRequestStatus current, ConsentRequestStatus notified) =>
        ConsentLifecycle.Next(current, notified).Value.ShouldBe(notified);

    [Theory]
    [InlineData(ConsentRequestStatus.Revoked, ConsentRequestStatus.Granted)]
    [InlineData(ConsentRequestStatus.Denied, ConsentRequestStatus.Granted)]
    [InlineData(ConsentRequestStatus.Expired, ConsentRequestStatus.Revoked)]
    [InlineData(ConsentRequestStatus.Requested, ConsentRequestStatus.Revoked)]
    [InlineData(ConsentRequestStatus.Granted, ConsentRequestStatus.Denied)]
    public void A_consent_request_never_goes_back(ConsentRequestStatus current, ConsentRequestStatus notified) =>
        ConsentLifecycle.Next(current, notified).IsSuccess.ShouldBeFalse();

    [Fact]
    public void Health_information_is_usable_only_under_a_grant_until_its_erase_time()
    {
        ConsentLifecycle.Usable(ConsentRequestStatus.Granted, Now.AddSeconds(1), Now).ShouldBeTrue();
        ConsentLifecycle.Usable(ConsentRequestStatus.Granted, Now, Now).ShouldBeFalse();
        ConsentLifecycle.Usable(ConsentRequestStatus.Revoked, Now.AddDays(1), Now).ShouldBeFalse();
    }
}
