using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Telemed.Domain.Queue;
namespace Telemed.Server.Queue;

/// <summary>What the board hub pushes; the token is the push's deadline (<see cref="Realtime.Pushes"/>), not an argument.</summary>
public interface IBoardClient
{
    Task BoardChanged(BoardLine line, CancellationToken deadline);
}

/// <summary>
/// The public waiting-room display (/hubs/board): no sign-in, token numbers only, per facility.
/// It can only listen; it has no way to change anything.
/// </summary>
[AllowAnonymous]
public sealed class BoardHub(IQuerySession session, QueueService queue, TimeProvider time) : Hub<IBoardClient>
{
    public async Task<IReadOnlyList<BoardLine>> WatchFacility(Guid facilityId)
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, QueueGroups.Board(facilityId));
        return await Lines(session, queue, facilityId, time.GetUtcNow(), Context.ConnectionAborted);
    }

    public static async Task<IReadOnlyList<BoardLine>> Lines(
        IQuerySession session, QueueService queue, Guid facilityId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var ids = await session.Query<SessionListing>()
            .Where(s => s.FacilityId == facilityId && s.Status != SessionStatus.Closed && s.EndsAt > now)
            .OrderBy(s => s.StartsAt)
            .Select(s => s.Id)
            .ToListAsync(cancellationToken);
        var lines = new List<BoardLine>();
        foreach (var id in ids)
        {
            if (await queue.Load(id, cancellationToken) is { } current)
            {
                lines.Add(QueueViews.Board(current));
            }
        }
        return lines;
    }
}
