using System.Collections.Immutable;

namespace Telemed.Domain.Spokes;

/// <summary>An event on the one stream that holds every hub–spoke link, so links change one at a time and each decides on the last.</summary>
public interface IHubSpokeEvent
{
    Guid HubId { get; }

    Guid SpokeId { get; }

    DateTimeOffset At { get; }
}

public sealed record SpokeLinked(Guid HubId, Guid SpokeId, Guid By, DateTimeOffset At) : IHubSpokeEvent;

public sealed record SpokeUnlinked(Guid HubId, Guid SpokeId, Guid By, DateTimeOffset At) : IHubSpokeEvent;

/// <summary>
/// Which facilities are hubs of which spokes. One level only: a hub is never a spoke and a spoke never a hub, so a
/// request from a spoke goes straight to a hub's doctors. A spoke may have several hubs (one per specialty mix).
/// </summary>
public sealed record HubSpokeNetwork(Guid Id, long Version, ImmutableDictionary<Guid, ImmutableHashSet<Guid>> HubsOfSpoke)
{
    public static HubSpokeNetwork Empty { get; } = new(Guid.Empty, 0, ImmutableDictionary<Guid, ImmutableHashSet<Guid>>.Empty);

    public IReadOnlySet<Guid> HubsOf(Guid spokeId) => HubsOfSpoke.TryGetValue(spokeId, out var hubs) ? hubs : ImmutableHashSet<Guid>.Empty;

    public bool IsSpokeOf(Guid spokeId, Guid hubId) => HubsOf(spokeId).Contains(hubId);

    public bool IsSpoke(Guid facilityId) => HubsOf(facilityId).Count > 0;

    public bool IsHub(Guid facilityId) => HubsOfSpoke.Values.Any(hubs => hubs.Contains(facilityId));

    public IEnumerable<Guid> SpokesOf(Guid hubId) => HubsOfSpoke.Where(pair => pair.Value.Contains(hubId)).Select(pair => pair.Key);

    public static HubSpokeNetwork Evolve(HubSpokeNetwork? state, IHubSpokeEvent @event)
    {
        var network = state ?? Empty;
        var hubs = network.HubsOf(@event.SpokeId).ToImmutableHashSet();
        var next = @event switch
        {
            SpokeLinked => hubs.Add(@event.HubId),
            SpokeUnlinked => hubs.Remove(@event.HubId),
            _ => throw new InvalidOperationException($"Unknown hub–spoke event {@event.GetType().Name}."),
        };
        return new HubSpokeNetwork(network.Id, network.Version + 1,
            next.IsEmpty ? network.HubsOfSpoke.Remove(@event.SpokeId) : network.HubsOfSpoke.SetItem(@event.SpokeId, next));
    }
}

public sealed record HubSpokeError(string Code, string Message);

public static class HubSpokeDecisions
{
    private static Result<IReadOnlyList<IHubSpokeEvent>, HubSpokeError> Events(params IHubSpokeEvent[] events) => events;

    public static Result<IReadOnlyList<IHubSpokeEvent>, HubSpokeError> Link(HubSpokeNetwork network, Guid hubId, Guid spokeId, Guid by, DateTimeOffset now)
    {
        if (hubId == spokeId)
        {
            return new HubSpokeError("SameFacility", "A facility cannot be its own hub: name two different facilities.");
        }
        if (network.IsSpokeOf(spokeId, hubId))
        {
            return Events();
        }
        if (network.IsSpoke(hubId))
        {
            return new HubSpokeError("HubIsSpoke", "This hub is itself a spoke of another hub; a spoke's requests go to a hub's doctors directly, so hubs are never spokes.");
        }
        return network.IsHub(spokeId)
            ? new HubSpokeError("SpokeIsHub", "This facility is a hub of other spokes; a hub cannot also be a spoke.")
            : Events(new SpokeLinked(hubId, spokeId, by, now));
    }

    public static Result<IReadOnlyList<IHubSpokeEvent>, HubSpokeError> Unlink(HubSpokeNetwork network, Guid hubId, Guid spokeId, Guid by, DateTimeOffset now) =>
        network.IsSpokeOf(spokeId, hubId)
            ? Events(new SpokeUnlinked(hubId, spokeId, by, now))
            : new HubSpokeError("NotLinked", "This facility is not a spoke of that hub.");
}
