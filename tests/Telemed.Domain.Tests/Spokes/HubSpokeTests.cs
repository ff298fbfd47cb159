using Telemed.Domain.Spokes;

namespace Telemed.Domain.Tests.Spokes;

public class HubSpokeTests
{
    private static readonly Guid Hub = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000001");
    private static readonly Guid OtherHub = Guid.Parse("aaaaaaaa-0000-0000-0000-000000000002");
    private static readonly Guid Spoke = Guid.Parse("bbbbbbbb-0000-0000-0000-000000000001");
    private static readonly Guid OtherSpoke = Guid.Parse("bbbbbbbb-0000-0000-0000-000000000002");
    private static readonly Guid Admin = Guid.Parse("cccccccc-0000-0000-0000-000000000001");
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 4, 0, 0, TimeSpan.Zero);

    private static HubSpokeNetwork Given(params IHubSpokeEvent[] events) => events.Aggregate(HubSpokeNetwork.Empty, HubSpokeNetwork.Evolve);

    private static SpokeLinked Linked(Guid hub, Guid spoke) => new(hub, spoke, Admin, Now.AddDays(-1));

    private static void Refused(Result<IReadOnlyList<IHubSpokeEvent>, HubSpokeError> result, string code)
    {
        result.IsSuccess.ShouldBeFalse();
        result.Error.Code.ShouldBe(code);
        result.Error.Message.ShouldNotBeNullOrWhiteSpace();
    }

    [Fact]
    public void Linking_a_spoke_to_a_hub_records_the_link_and_who_made_it()
    {
        var result = HubSpokeDecisions.Link(HubSpokeNetwork.Empty, Hub, Spoke, Admin, Now);

        result.Value.ShouldBe([new SpokeLinked(Hub, Spoke, Admin, Now)]);
        Given([.. result.Value]).IsSpokeOf(Spoke, Hub).ShouldBeTrue();
    }

    [Fact]
    public void Linking_again_records_nothing() =>
        HubSpokeDecisions.Link(Given(Linked(Hub, Spoke)), Hub, Spoke, Admin, Now).Value.ShouldBeEmpty();

    [Fact]
    public void A_facility_is_never_its_own_hub() => Refused(HubSpokeDecisions.Link(HubSpokeNetwork.Empty, Hub, Hub, Admin, Now), "SameFacility");

    [Fact]
    public void A_spoke_cannot_become_a_hub() => Refused(HubSpokeDecisions.Link(Given(Linked(Hub, Spoke)), Spoke, OtherSpoke, Admin, Now), "HubIsSpoke");

    [Fact]
    public void A_hub_cannot_become_a_spoke() => Refused(HubSpokeDecisions.Link(Given(Linked(Hub, Spoke)), OtherHub, Hub, Admin, Now), "SpokeIsHub");

    [Fact]
    public void A_spoke_may_have_several_hubs()
    {
        var network = Given(Linked(Hub, Spoke), Linked(OtherHub, Spoke));

        network.HubsOf(Spoke).ShouldBe([Hub, OtherHub], ignoreOrder: true);
        network.SpokesOf(Hub).ShouldBe([Spoke]);
    }

    [Fact]
    public void Unlinking_ends_the_link_and_only_a_link_that_exists_can_be_ended()
    {
        var network = Given(Linked(Hub, Spoke));

        var unlinked = HubSpokeDecisions.Unlink(network, Hub, Spoke, Admin, Now);
        unlinked.Value.ShouldBe([new SpokeUnlinked(Hub, Spoke, Admin, Now)]);
        var after = network with { };
        after = unlinked.Value.Aggregate(after, HubSpokeNetwork.Evolve);
        after.IsSpokeOf(Spoke, Hub).ShouldBeFalse();
        after.IsHub(Hub).ShouldBeFalse();
        Refused(HubSpokeDecisions.Unlink(after, Hub, Spoke, Admin, Now), "NotLinked");
    }

    [Fact]
    public void A_health_worker_acts_only_for_patients_brought_in_at_their_own_spoke()
    {
        HealthWorkerRules.MayActFor(Spoke, Spoke).ShouldBeTrue();
        HealthWorkerRules.MayActFor(Spoke, OtherSpoke).ShouldBeFalse();
        HealthWorkerRules.MayActFor(Spoke, null).ShouldBeFalse();
    }

    [Theory]
    [InlineData("anm", Cadre.Anm)]
    [InlineData("communityHealthOfficer", Cadre.CommunityHealthOfficer)]
    [InlineData(" CHO ", Cadre.CommunityHealthOfficer)]
    public void Cadres_parse(string raw, Cadre cadre) => HealthWorkerRules.ParseCadre(raw).Value.ShouldBe(cadre);

    [Fact]
    public void An_unknown_cadre_is_named_as_wrong() => HealthWorkerRules.ParseCadre("nurse").Error.Message.ShouldContain("anm");
}
