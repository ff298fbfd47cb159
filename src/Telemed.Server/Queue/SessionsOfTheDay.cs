using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Telemed.Domain;
using Telemed.Domain.Identity;
using Telemed.Domain.Queue;
using Telemed.Server.Identity;

namespace Telemed.Server.Queue;

public sealed record SessionOfTheDay(
    Guid Id,
    Guid FacilityId,
    string FacilityName,
    IReadOnlyList<SessionDoctor> Doctors,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    string? Specialty,
    SessionStatus Status,
    int Capacity,
    int AverageConsultationMinutes,
    SessionFigures Figures);

/// <summary>
/// The admin's view of a day across facilities: every session that ran on it (closed and ended ones too, unlike
/// <c>GET /api/sessions</c>, which lists what patients can still join), with its counts. Numbers only, no patient.
/// </summary>
public static class SessionsOfTheDay
{
    /// <summary>More sessions than this in one day and facility is a mistake to look at, not a list to page through.</summary>
    public const int MaxSessions = 500;

    public static void MapSessionsOfTheDay(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/admin/sessions", List).WithTags("Admin").RequireAuthorization(Roles.Admin)
            .WithSummary("Sessions that ran on a day (India time; default today), optionally of one facility, with counts of waiting, seen, no-shows.");

    private static async Task<Ok<IReadOnlyList<SessionOfTheDay>>> List(
        DateOnly? day, Guid? facilityId, IQuerySession db, QueueService queue, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var date = day ?? IndianTime.Day(now);
        var dayStarts = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), IndianTime.Offset);
        var dayEnds = dayStarts.AddDays(1);
        var query = db.Query<SessionListing>().Where(s => s.StartsAt < dayEnds && s.EndsAt > dayStarts);
        if (facilityId is { } facility)
        {
            query = query.Where(s => s.FacilityId == facility);
        }
        var sessions = await queue.Latest(await query.OrderBy(s => s.StartsAt).Take(MaxSessions).ToListAsync(cancellationToken), cancellationToken);
        var doctors = await db.LoadManyAsync<StaffAccount>(cancellationToken, sessions.SelectMany(s => s.DoctorIds).Distinct());
        var facilities = await db.LoadManyAsync<Facility>(cancellationToken, sessions.Select(s => s.FacilityId).Distinct());
        return TypedResults.Ok<IReadOnlyList<SessionOfTheDay>>(sessions.Select(s => new SessionOfTheDay(
            s.Id,
            s.FacilityId,
            facilities.FirstOrDefault(f => f.Id == s.FacilityId)?.Name ?? "",
            QueueEndpoints.DoctorsOf(s, doctors),
            s.StartsAt,
            s.EndsAt,
            s.Specialty,
            s.Status,
            s.Capacity,
            (int)Math.Round(s.AverageConsultation.TotalMinutes),
            QueueViews.Figures(s, now))).ToList());
    }
}
