using System.Security.Claims;
using JasperFx.Events;
using Marten;
using Marten.Events.Aggregation;
using Telemed.Domain;
using Telemed.Domain.Identity;
using Telemed.Domain.Queue;
using Telemed.Domain.Spokes;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Queue;

namespace Telemed.Server.Spokes;

/// <summary>A roster folded by the domain's own <see cref="Roster.Evolve"/>, stored with its events.</summary>
public sealed class RosterProjection : SingleStreamProjection<Roster, Guid>
{
    public override Roster Evolve(Roster? snapshot, Guid id, IEvent e) => e.Data is IRosterEvent rosterEvent ? Roster.Evolve(snapshot, rosterEvent) : snapshot!;
}

/// <summary>A roster to publish at <c>hubId</c>: days (monday … sunday), from and to (HH:mm, India time), specialty, capacity, slot minutes.</summary>
public sealed record PublishRosterRequest(Guid? HubId, string? Specialty, IReadOnlyList<string>? Days, string? From, string? To, int? Capacity, int? SlotMinutes);

/// <summary>A roster as spokes see it: the doctor and hub named.</summary>
public sealed record RosterView(
    Guid Id, Guid DoctorId, string DoctorName, Guid HubId, string HubName, string Specialty, IReadOnlyList<DayOfWeek> Days, string From, string To,
    int Capacity, int SlotMinutes, bool Withdrawn);

/// <summary>The slots of a roster's session on one day; <c>sessionId</c> is the session they belong to, opened at the first booking.</summary>
public sealed record RosterSlots(Guid RosterId, DateOnly Date, Guid SessionId, int SlotMinutes, IReadOnlyList<SlotView> Slots);

/// <summary>
/// Hub doctors publish weekly rosters for spokes; each rostered day becomes one OPD session of the doctor at the hub, with
/// a name-based id, opened when a spoke first books it. Spokes then book its slots like any session's.
/// </summary>
public static class RosterEndpoints
{
    /// <summary>The name space of rostered sessions' ids: one roster and one day always name the same session.</summary>
    private static readonly Guid SessionSpace = Guid.Parse("726f7374-6572-2d73-6573-73696f6e0001");

    public static void MapRosters(this IEndpointRouteBuilder app)
    {
        var doctor = app.MapGroup("/api/rosters").WithTags("Hubs and spokes").RequireAuthorization(Roles.Doctor);
        doctor.MapPost("/", Publish).WithSummary("Doctor: publish a weekly roster at a hub I work at (days, hours in India time, specialty, capacity, slot length).");
        doctor.MapGet("/mine", Mine).WithSummary("Doctor: my rosters.");
        doctor.MapPost("/{rosterId:guid}/withdraw", Withdraw).WithSummary("Doctor: withdraw my roster; sessions already booked stand.");
    }

    public static Guid SessionId(Guid rosterId, DateOnly date) => Ids.NameBased(SessionSpace, $"{rosterId:N}:{date:yyyy-MM-dd}");

    /// <summary>Which of the rosters the session on <paramref name="date"/> (India time) was opened from; null for a session no roster opened.</summary>
    public static Guid? RosterOf(IEnumerable<Roster> rosters, Guid sessionId, DateOnly date) =>
        rosters.FirstOrDefault(r => SessionId(r.Id, date) == sessionId)?.Id;

    private static async Task<IResult> Publish(
        PublishRosterRequest request, ClaimsPrincipal user, IDocumentSession db, HubSpokeLinks links, TimeProvider time, CancellationToken cancellationToken)
    {
        var doctorId = user.AccountId();
        var doctor = await db.LoadAsync<StaffAccount>(doctorId, cancellationToken);
        if (request.HubId is not { } hubId)
        {
            return Problems.Invalid("hubId", "Name the hub facility the roster is at.");
        }
        if (doctor?.Doctor is not { } details || !details.FacilityIds.Contains(hubId))
        {
            return Problems.Invalid("hubId", "A doctor publishes rosters only at a facility they work at.");
        }
        if (!(await links.Load(cancellationToken)).IsHub(hubId))
        {
            return Problems.Invalid("hubId", "This facility is not a hub of any spoke yet: an admin links spokes to it first.");
        }
        var rosters = await db.Query<Roster>().Where(r => r.DoctorId == doctorId).ToListAsync(cancellationToken);
        var errors = new FieldErrors();
        var input = new RosterInput(request.Specialty, request.Days, request.From, request.To, request.Capacity, request.SlotMinutes);
        var published = RosterRules.Publish(input, Ids.New(), doctorId, hubId, rosters, time.GetUtcNow(), errors);
        if (published is null)
        {
            return Problems.Invalid(errors);
        }
        db.Events.StartStream<Roster>(published.RosterId, published);
        await db.SaveChangesAsync(cancellationToken);
        var roster = Roster.Evolve(null, published);
        return TypedResults.Created($"/api/rosters/{roster.Id}", (await Views(db, [roster], cancellationToken))[0]);
    }

    private static async Task<IResult> Mine(ClaimsPrincipal user, IQuerySession db, CancellationToken cancellationToken)
    {
        var doctorId = user.AccountId();
        var rosters = await db.Query<Roster>().Where(r => r.DoctorId == doctorId).ToListAsync(cancellationToken);
        return TypedResults.Ok(await Views(db, rosters, cancellationToken));
    }

    private static async Task<IResult> Withdraw(Guid rosterId, ClaimsPrincipal user, IDocumentSession db, AuditTrail audit, TimeProvider time, CancellationToken cancellationToken)
    {
        var callerId = user.AccountId();
        var stream = await db.Events.FetchForExclusiveWriting<Roster>(rosterId, cancellationToken);
        if (stream.Aggregate is not { } roster || roster.DoctorId != callerId)
        {
            if (stream.Aggregate is not null)
            {
                await audit.Refused(callerId, $"roster/{rosterId}", "withdraw roster", cancellationToken);
            }
            return Problems.NotFound("You have no roster with this id.");
        }
        if (!roster.Withdrawn)
        {
            stream.AppendOne(new RosterWithdrawn(rosterId, callerId, time.GetUtcNow()));
            await db.SaveChangesAsync(cancellationToken);
        }
        return TypedResults.Ok((await Views(db, [roster with { Withdrawn = true }], cancellationToken))[0]);
    }

    public static async Task<List<RosterView>> Views(IQuerySession db, IReadOnlyList<Roster> rosters, CancellationToken cancellationToken)
    {
        var doctors = (await db.LoadManyAsync<StaffAccount>(cancellationToken, rosters.Select(r => r.DoctorId).Distinct())).ToDictionary(d => d.Id, d => d.Name);
        var hubs = (await db.LoadManyAsync<Facility>(cancellationToken, rosters.Select(r => r.HubId).Distinct())).ToDictionary(f => f.Id, f => f.Name);
        return [.. rosters.OrderBy(r => r.Specialty).ThenBy(r => doctors.GetValueOrDefault(r.DoctorId)).Select(r => new RosterView(
            r.Id, r.DoctorId, doctors.GetValueOrDefault(r.DoctorId, ""), r.HubId, hubs.GetValueOrDefault(r.HubId, ""), r.Specialty, r.Days,
            r.From.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture), r.To.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture),
            r.Capacity, r.SlotMinutes, r.Withdrawn))];
    }

    /// <summary>
    /// How the roster's session on the day opens: by the booking that first needs it (<paramref name="caller"/>), with the
    /// roster's doctor, hub, hours, capacity and slot length; or why the roster has no bookable session that day.
    /// </summary>
    public static Result<SessionOpened, Invalid> Opening(Roster roster, DateOnly date, Guid caller, DateTimeOffset now)
    {
        var window = RosterRules.SessionOn(roster, date, now);
        return window.IsSuccess
            ? new SessionOpened(SessionId(roster.Id, date), roster.HubId, [roster.DoctorId], window.Value.Starts, window.Value.Ends, 0, roster.Capacity,
                roster.Specialty, roster.SlotMinutes, SessionRules.NoShowAfterMissedCalls(null).Value, caller, now)
            : window.Error;
    }

    /// <summary>The session as it stands, opening it first if nobody has; a racing opener's stream wins and this opening is dropped.</summary>
    public static async Task<OpdSession> Open(SessionOpened opening, QueueService queue, CancellationToken cancellationToken)
    {
        if (await queue.Load(opening.SessionId, cancellationToken) is { } existing)
        {
            return existing;
        }
        try
        {
            return await queue.Open(opening, cancellationToken);
        }
        catch (Marten.Exceptions.ExistingStreamIdCollisionException)
        {
            return (await queue.Load(opening.SessionId, cancellationToken))!;
        }
    }
}
