using System.Security.Claims;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Microsoft.AspNetCore.Http.HttpResults;
using Telemed.Domain;
using Telemed.Domain.Identity;
using Telemed.Domain.Spokes;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Spokes;

/// <summary>The network folded by the domain's own <see cref="HubSpokeNetwork.Evolve"/>.</summary>
public sealed class HubSpokeNetworkProjection : SingleStreamProjection<HubSpokeNetwork, Guid>
{
    public override HubSpokeNetwork Evolve(HubSpokeNetwork? snapshot, Guid id, IEvent e) =>
        e.Data is IHubSpokeEvent link ? HubSpokeNetwork.Evolve(snapshot ?? HubSpokeNetwork.Empty with { Id = id }, link) : snapshot!;
}

public sealed record HubSpokeRequest(Guid? HubId, Guid? SpokeId);

/// <summary>One link as admins list it, with both facilities named.</summary>
public sealed record HubSpokeLinkView(Guid HubId, string HubName, Guid SpokeId, string SpokeName);

/// <summary>Which facilities are hubs of which spokes: read from, and changed on, the network's one stream.</summary>
public sealed class HubSpokeLinks(IDocumentStore store, TimeProvider time)
{
    /// <summary>The network's stream: every link change is an event on it, appended one at a time.</summary>
    public static readonly Guid NetworkId = Guid.Parse("6875622d-7370-6f6b-6500-000000000001");

    public async Task<HubSpokeNetwork> Load(CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await session.Events.AggregateStreamAsync<HubSpokeNetwork>(NetworkId, token: cancellationToken) ?? HubSpokeNetwork.Empty;
    }

    public async Task<Result<IReadOnlyList<IHubSpokeEvent>, HubSpokeError>> Execute(
        Func<HubSpokeNetwork, DateTimeOffset, Result<IReadOnlyList<IHubSpokeEvent>, HubSpokeError>> decide, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForExclusiveWriting<HubSpokeNetwork>(NetworkId, cancellationToken);
        var decision = decide(stream.Aggregate ?? HubSpokeNetwork.Empty, time.GetUtcNow());
        if (decision.IsSuccess && decision.Value.Count > 0)
        {
            stream.AppendMany([.. decision.Value.Cast<object>()]);
            await session.SaveChangesAsync(cancellationToken);
        }
        return decision;
    }
}

/// <summary>Admins link facilities as hub and spoke, and unlink them; each change is an event naming the admin.</summary>
public static class HubSpokeEndpoints
{
    public static void MapHubSpokeLinks(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin/hub-spokes").WithTags("Hubs and spokes").RequireAuthorization(Roles.Admin);
        admin.MapGet("/", List).WithSummary("Every hub–spoke link, with both facilities named.");
        admin.MapPost("/", (HubSpokeRequest request, ClaimsPrincipal user, IQuerySession db, HubSpokeLinks links, CancellationToken ct) =>
                Change(request, user, db, links, HubSpokeDecisions.Link, ct))
            .WithSummary("Link a spoke facility to a hub facility (one level: a hub is never a spoke).");
        admin.MapPost("/unlink", (HubSpokeRequest request, ClaimsPrincipal user, IQuerySession db, HubSpokeLinks links, CancellationToken ct) =>
                Change(request, user, db, links, HubSpokeDecisions.Unlink, ct))
            .WithSummary("End a hub–spoke link; the spoke's bookings already made stand.");
    }

    private static async Task<Ok<IReadOnlyList<HubSpokeLinkView>>> List(IQuerySession db, HubSpokeLinks links, CancellationToken cancellationToken)
    {
        var network = await links.Load(cancellationToken);
        var ids = network.HubsOfSpoke.Keys.Concat(network.HubsOfSpoke.Values.SelectMany(h => h)).Distinct();
        var facilities = (await db.LoadManyAsync<Facility>(cancellationToken, ids)).ToDictionary(f => f.Id, f => f.Name);
        return TypedResults.Ok<IReadOnlyList<HubSpokeLinkView>>(network.HubsOfSpoke
            .SelectMany(pair => pair.Value.Select(hub => new HubSpokeLinkView(hub, facilities.GetValueOrDefault(hub, ""), pair.Key, facilities.GetValueOrDefault(pair.Key, ""))))
            .OrderBy(l => l.HubName).ThenBy(l => l.SpokeName).ToList());
    }

    private static async Task<IResult> Change(
        HubSpokeRequest request, ClaimsPrincipal user, IQuerySession db, HubSpokeLinks links,
        Func<HubSpokeNetwork, Guid, Guid, Guid, DateTimeOffset, Result<IReadOnlyList<IHubSpokeEvent>, HubSpokeError>> decide, CancellationToken cancellationToken)
    {
        var errors = new FieldErrors();
        foreach (var (field, id) in new[] { ("hubId", request.HubId), ("spokeId", request.SpokeId) })
        {
            if (id is not { } facilityId || await db.LoadAsync<Facility>(facilityId, cancellationToken) is null)
            {
                errors.Add(field, "Name a registered facility.");
            }
        }
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }
        var adminId = user.AccountId();
        var decided = await links.Execute((network, now) => decide(network, request.HubId!.Value, request.SpokeId!.Value, adminId, now), cancellationToken);
        return decided.IsSuccess
            ? TypedResults.Ok(new { hubId = request.HubId, spokeId = request.SpokeId, linked = (await links.Load(cancellationToken)).IsSpokeOf(request.SpokeId!.Value, request.HubId!.Value) })
            : TypedResults.Problem(decided.Error.Message, statusCode: StatusCodes.Status409Conflict, title: decided.Error.Code,
                extensions: new Dictionary<string, object?> { ["code"] = decided.Error.Code });
    }
}
