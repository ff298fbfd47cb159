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

/// <summary>The pushes of one change: sent now, and sent once the change's lock is released.</summary>
public sealed record QueuePushes(Task Urgent, Func<Task> Rest);

/// <summary>Pushes a queue change to exactly those who see it: the session's staff, the patients whose wait changed, the facility board.</summary>
public sealed class QueueNotifier(IHubContext<ClinicHub, IClinicClient> clinic, IHubContext<BoardHub, IBoardClient> boards, Presence presence)
{
    /// <summary>
    /// Urgent: the doctor's screen, every patient whose own token changed (the one just called hears it first) and
    /// the board. The rest — a thousand patients whose place moved up by one — follow without holding up the next
    /// command; each carries the session version, so a client ignores an older position that arrives late.
    /// </summary>
    public QueuePushes Changed(OpdSession? before, OpdSession after, IReadOnlyList<IQueueEvent> events)
    {
        var positions = QueueViews.Positions(after);
        var previous = before is null ? [] : QueueViews.Positions(before);
        var urgent = new List<Task>
        {
            clinic.Clients.Group(HubGroups.SessionStaff(after.Id)).QueueUpdated(Delta(after, events, positions)),
        };
        var moved = new List<PatientPosition>();
        foreach (var entry in after.Entries)
        {
            var now = QueueViews.Position(after, entry, positions);
            var old = before?.Entry(entry.Token) is { } earlier ? QueueViews.Position(before, earlier, previous) : null;
            if (old is null || old.State != now.State)
            {
                urgent.Add(clinic.Clients.Group(HubGroups.Patient(entry.PatientId)).PositionChanged(now));
            }
            else if (old with { Version = now.Version } != now)
            {
                moved.Add(now);
            }
        }
        var line = QueueViews.Board(after);
        if (before is null || !SameBoard(QueueViews.Board(before), line))
        {
            urgent.Add(boards.Clients.Group(HubGroups.Board(after.FacilityId)).BoardChanged(line));
        }
        var patients = after.Entries;
        return new QueuePushes(Task.WhenAll(urgent), () => Task.WhenAll(moved.Select(position =>
            clinic.Clients.Group(HubGroups.Patient(patients[position.Token - 1].PatientId)).PositionChanged(position))));
    }

    public Task PresenceChanged(Guid patientId, bool online) => Task.WhenAll(presence.TokensWatchedBy(patientId).Select(watched =>
        clinic.Clients.Group(HubGroups.SessionStaff(watched.Key)).PatientPresenceChanged(new PresenceChange(watched.Key, watched.Value, online))));

    private QueueDelta Delta(OpdSession after, IReadOnlyList<IQueueEvent> events, Dictionary<int, int> positions)
    {
        var rows = events.Select(TokenOf).OfType<int>().Distinct()
            .Select(token => QueueViews.Row(after.Entries[token - 1], positions, presence.IsOnline))
            .ToList();
        return new QueueDelta(after.Id, after.Version, after.Status, after.PlacesTaken,
            (int)Math.Round(after.AverageConsultation.TotalMinutes), rows, after.Line().Select(e => e.Token).ToList());
    }

    private static bool SameBoard(BoardLine a, BoardLine b) =>
        a.Status == b.Status && a.Waiting == b.Waiting && a.NowServing.SequenceEqual(b.NowServing) && a.UpNext.SequenceEqual(b.UpNext);

    private static int? TokenOf(IQueueEvent @event) => @event switch
    {
        PatientCheckedIn e => e.Token,
        TokenCalled e => e.Token,
        TokenSkipped e => e.Token,
        TokenMarkedNoShow e => e.Token,
        TokenRecalled e => e.Token,
        TokenConsultationStarted e => e.Token,
        TokenCompleted e => e.Token,
        TokenCancelled e => e.Token,
        TokenLeft e => e.Token,
        TokenPrioritised e => e.Token,
        _ => null,
    };
}
