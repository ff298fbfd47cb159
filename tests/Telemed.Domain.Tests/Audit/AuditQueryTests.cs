using Telemed.Domain.Audit;

namespace Telemed.Domain.Tests.Audit;

public class AuditQueryTests
{
    private static (AuditQuery? Query, IDictionary<string, string[]> Errors) Parse(
        string? accountId = null, string? resource = null, string? action = null, string? outcome = null, string? from = null, string? to = null,
        string? offset = null, string? limit = null)
    {
        var errors = new FieldErrors();
        var query = AuditQuery.Parse(accountId, resource, action, outcome, from, to, offset, limit, errors);
        return (query, errors.ToDictionary());
    }

    [Fact]
    public void No_filters_asks_for_the_newest_hundred()
    {
        var (query, errors) = Parse();
        errors.ShouldBeEmpty();
        query.ShouldBe(new AuditQuery(null, null, null, null, null, null, 0, AuditQuery.DefaultLimit));
    }

    [Fact]
    public void Every_filter_is_read()
    {
        var account = Guid.NewGuid();
        var (query, _) = Parse(account.ToString(), " consultation/ ", "sign in", "Refused", "2026-11-25T09:00:00+05:30", "2026-11-25T10:00:00Z", "200", "500");
        query.ShouldBe(new AuditQuery(account, "consultation/", "sign in", AuditOutcome.Refused,
            new DateTimeOffset(2026, 11, 25, 3, 30, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.Zero), 200, 500));
    }

    [Fact]
    public void Each_wrong_filter_is_named()
    {
        var (query, errors) = Parse("not-a-guid", outcome: "2", from: "yesterday", to: "2026-11-25T10:00:00", offset: "-1", limit: "501");
        query.ShouldBeNull();
        errors.Keys.ShouldBe(["accountId", "outcome", "from", "to", "offset", "limit"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("501")]
    [InlineData("ten")]
    public void The_limit_is_one_to_five_hundred(string limit) => Parse(limit: limit).Errors.Keys.ShouldBe(["limit"]);

    [Fact]
    public void A_date_without_a_time_and_offset_is_refused() => Parse(from: "2026-11-25").Errors.Keys.ShouldBe(["from"]);

    [Fact]
    public void A_period_that_ends_before_it_starts_is_refused() =>
        Parse(from: "2026-11-25T10:00:00Z", to: "2026-11-25T09:00:00Z").Errors.Keys.ShouldBe(["to"]);
}
