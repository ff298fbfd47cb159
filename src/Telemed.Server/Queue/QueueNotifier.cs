using Microsoft.AspNetCore.SignalR;
using Telemed.Domain.Queue;
using Telemed.Server.Realtime;

namespace Telemed.Server.Queue;

/// <summary>
/// The change a doctor's screen applies to the queue it already has: the rows the change touched and the line order
/// (from which every position follows), so a 1,000-patient queue does not travel in full on every click.
/// </summary>
public sealed record QueueDelta(
    Guid SessionId,
    long Version,
    SessionStatus Status,
    int PlacesTaken,
    int AverageConsultationMinutes,
    IReadOnlyList<QueueRow> Rows,
    IReadOnlyList<int> Line);

public sealed record PresenceChange(Guid SessionId, int Token, bool Online);

/// <summary>Pushes a queue change to exactly those who see it: the session's staff, the patients whose wait changed, the facility board.</summary>
public sealed class QueueNotifier(
    IHubContext<QueueHub, IQueueClient> hub, IHubContext<BoardHub, IBoardClient> boards, PositionBroadcaster broadcaster, Presence presence,
    Pushes pushes) : IPresenceObserver
{
    /// <summary>
    /// Hands the pushes of a recorded change to SignalR and returns without waiting for them (<see cref="Pushes"/>):
    /// called in commit order, they reach each client in that order, and a client that stopped reading holds up no
    /// command. A push that fails (Redis down between nodes) never fails the command the caller already made: clients
    /// resynchronise from the queue when their connection comes back.
    /// </summary>
    public void Changed(OpdSession? before, OpdSession after, IReadOnlyList<IQueueEvent> events) =>
        pushes.Send(deadline => Push(before, after, events, deadline));

    /// <summary>
    /// Sends the urgent part now — the doctor's screen, every patient whose own token changed (the one just called),
    /// the board — and leaves the patients who merely moved up a place to the <see cref="PositionBroadcaster"/>.
    /// </summary>
    private Task Push(OpdSession? before, OpdSession after, IReadOnlyList<IQueueEvent> events, CancellationToken deadline)
    {
        var positions = QueueViews.Positions(after);
        var urgent = new List<Task>
        {
            hub.Clients.Group(QueueGroups.SessionStaff(after.Id)).QueueUpdated(Delta(after, events, positions), deadline),
        };
        foreach (var entry in events.OfType<ITokenEvent>().Select(e => e.Token).Distinct().Select(token => after.Entries[token - 1]))
        {
            var position = QueueViews.Position(after, entry, positions);
            broadcaster.Sent(position);
            urgent.Add(hub.Clients.Group(QueueGroups.Patient(entry.PatientId)).PositionChanged(position, deadline));
        }
        var line = QueueViews.Board(after);
        if (before is null || !SameBoard(QueueViews.Board(before), line))
        {
            urgent.Add(boards.Clients.Group(QueueGroups.Board(after.FacilityId)).BoardChanged(line, deadline));
        }
        broadcaster.Schedule(after);
        if (after.Status == SessionStatus.Closed)
        {
            broadcaster.Forget(after.Id);
            presence.SessionEnded(after.Id, after.Entries.Select(e => e.PatientId));
        }
        return Task.WhenAll(urgent);
    }

    public async Task PresenceChanged(Guid patientId, bool online)
    {
        foreach (var watched in await presence.TokensWatchedBy(patientId))
        {
            var change = new PresenceChange(watched.Key, watched.Value, online);
            pushes.Send(deadline => hub.Clients.Group(QueueGroups.SessionStaff(watched.Key)).PatientPresenceChanged(change, deadline));
        }
    }

    private QueueDelta Delta(OpdSession after, IReadOnlyList<IQueueEvent> events, Dictionary<int, int> positions)
    {
        var rows = events.OfType<ITokenEvent>().Select(e => e.Token).Distinct()
            .Select(token => QueueViews.Row(after.Entries[token - 1], positions, presence.IsOnline))
            .ToList();
        return new QueueDelta(after.Id, after.Version, after.Status, after.PlacesTaken,
            (int)Math.Round(after.AverageConsultation.TotalMinutes), rows, after.Line().Select(e => e.Token).ToList());
    }

    private static bool SameBoard(BoardLine a, BoardLine b) =>
        a.Status == b.Status && a.Waiting == b.Waiting && a.NowServing.SequenceEqual(b.NowServing) && a.UpNext.SequenceEqual(b.UpNext);
}
