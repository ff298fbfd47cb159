namespace Telemed.Domain.Queue;

/// <summary>What a patient sees while waiting. Position 1 is next; null once the token has left the line.</summary>
public sealed record PatientPosition(
    Guid SessionId,
    int Token,
    TokenState State,
    Priority Priority,
    int? Position,
    int? EstimatedWaitMinutes,
    SessionStatus SessionStatus,
    long Version,
    Guid? ConsultationId = null);

public sealed record QueueRow(
    int Token,
    Guid PatientId,
    PatientSummary Patient,
    TokenState State,
    Priority Priority,
    int? Position,
    DateTimeOffset CheckedInAt,
    string? Complaint,
    IReadOnlyList<AttachmentRef> Attachments,
    int MissedCalls,
    Guid? DoctorId,
    bool Online,
    bool CalledWhileOffline,
    Guid? ConsultationId,
    AccompanyingAdult? AccompaniedBy = null,
    DateTimeOffset? SlotStartsAt = null,
    AssistedBy? AssistedBy = null);

/// <summary>The doctor's live queue.</summary>
public sealed record QueueView(
    Guid SessionId,
    Guid FacilityId,
    SessionStatus Status,
    long Version,
    int Capacity,
    int PlacesTaken,
    int AverageConsultationMinutes,
    IReadOnlyList<QueueRow> Rows);

/// <summary>
/// An admin's count of one session's tokens by what became of them, and how long the earliest patient still in line
/// has waited: numbers only, never who. <see cref="BookedAhead"/>: bookings not checked in yet; <see cref="BookingsMissed"/>:
/// bookings whose patient did not check in by the grace time.
/// </summary>
public sealed record SessionFigures(
    int PlacesTaken,
    int Waiting,
    int WithDoctor,
    int Seen,
    int Skipped,
    int NoShows,
    int CancelledOrLeft,
    int? LongestWaitMinutes,
    int BookedAhead = 0,
    int BookingsMissed = 0);

/// <summary>One session's line on a waiting-room display: token numbers only, never names.</summary>
public sealed record BoardLine(Guid SessionId, string? Specialty, SessionStatus Status, IReadOnlyList<int> NowServing, IReadOnlyList<int> UpNext, int Waiting);

public static class QueueViews
{
    public const int BoardUpNext = 5;

    /// <summary>Every in-line patient's position, computed once per change (not once per patient).</summary>
    public static Dictionary<int, int> Positions(OpdSession session)
    {
        var positions = new Dictionary<int, int>();
        var position = 0;
        foreach (var entry in session.Line())
        {
            positions[entry.Token] = ++position;
        }
        return positions;
    }

    public static PatientPosition Position(OpdSession session, QueueEntry entry, IReadOnlyDictionary<int, int> positions)
    {
        int? position = positions.TryGetValue(entry.Token, out var p) ? p : null;
        return new PatientPosition(session.Id, entry.Token, entry.State, entry.Priority, position, EstimatedWaitMinutes(session, position), session.Status, session.Version,
            entry.State == TokenState.InConsultation ? entry.ConsultationId : null);
    }

    /// <summary>
    /// Average consultation length (recent ones in this session, else the slot length) times the patients to be seen
    /// before this one, including the one with the doctor now, shared among the session's doctors.
    /// </summary>
    public static int? EstimatedWaitMinutes(OpdSession session, int? position) => position is { } p
        ? (int)Math.Ceiling(session.AverageConsultation.TotalMinutes * p / Math.Max(1, session.DoctorIds.Count))
        : null;

    public static QueueView Queue(OpdSession session, Func<Guid, bool> isOnline)
    {
        var positions = Positions(session);
        var rows = session.Entries.Select(e => Row(e, positions, isOnline)).ToList();
        return new QueueView(session.Id, session.FacilityId, session.Status, session.Version, session.Capacity, session.PlacesTaken,
            (int)Math.Round(session.AverageConsultation.TotalMinutes), rows);
    }

    public static QueueRow Row(QueueEntry e, IReadOnlyDictionary<int, int> positions, Func<Guid, bool> isOnline) => new(
        e.Token, e.PatientId, e.Patient, e.State, e.Priority, positions.TryGetValue(e.Token, out var p) ? p : null,
        e.CheckedInAt, e.Complaint, e.Attachments, e.MissedCalls, e.DoctorId, isOnline(e.PatientId), e.CalledWhileOffline, e.ConsultationId,
        e.AccompaniedBy, e.SlotStartsAt, e.AssistedBy);

    public static BoardLine Board(OpdSession session) => new(
        session.Id,
        session.Specialty,
        session.Status,
        session.Entries.Where(e => e.IsWithDoctor).Select(e => e.Token).ToList(),
        session.Line().Take(BoardUpNext).Select(e => e.Token).ToList(),
        session.Entries.Count(e => e.IsInLine));

    /// <summary>
    /// The session's tokens counted by state. Recalled tokens are back in line, so they wait; tokens not held or whose
    /// payment lapsed fall in none of the counts but still took a token number.
    /// </summary>
    public static SessionFigures Figures(OpdSession session, DateTimeOffset now)
    {
        int Count(params TokenState[] states) => session.Entries.Count(e => states.Contains(e.State));
        var earliestInLine = session.Entries.Where(e => e.IsInLine).Select(e => (DateTimeOffset?)e.CheckedInAt).Min();
        return new SessionFigures(
            session.PlacesTaken,
            Count(TokenState.Waiting, TokenState.Recalled),
            Count(TokenState.Called, TokenState.InConsultation),
            Count(TokenState.Completed),
            Count(TokenState.Skipped),
            Count(TokenState.NoShow),
            Count(TokenState.Cancelled, TokenState.Left),
            earliestInLine is { } since ? Math.Max(0, (int)(now - since).TotalMinutes) : null,
            session.Bookings.Count(b => b.State == BookingState.Booked),
            session.Bookings.Count(b => b.State == BookingState.Missed));
    }
}
