using System.Collections.Concurrent;
using System.Security.Claims;
using JasperFx.Events;
using Marten;
using Telemed.Domain.Identity;
using Telemed.Domain.Queue;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Realtime;

namespace Telemed.Server.Queue;

public enum QueueFailure
{
    None,
    NotFound,
    Forbidden,
    Refused,
    StaleVersion,
    Conflict,
}

/// <summary>What became of a command: the session as it now is, the events it caused, or why it failed.</summary>
/// <summary>A session's state at some version, kept so a node that does not hold the session folds only the events after it.</summary>
public sealed record QueueCheckpoint(Guid Id, OpdSession Session);

public sealed record QueueOutcome(QueueFailure Failure, OpdSession? Session, IReadOnlyList<IQueueEvent> Events, QueueError? Error = null)
{
    public bool Succeeded => Failure == QueueFailure.None;

    public static QueueOutcome NotFound { get; } = new(QueueFailure.NotFound, null, []);
}

/// <summary>
/// Runs queue commands: load the session snapshot, check the caller may touch it, decide, then append the events
/// with the expected stream version and store the new snapshot in one transaction. Two writers on one session
/// cannot both win: the loser's append fails on the version and (for commands that allow it) runs again on the
/// new state, which is how a second doctor calling at the same moment gets the next patient.
/// Within one node, writes to a session also queue behind a per-session lock: a burst of check-ins then costs
/// one round trip each instead of a storm of retries; the version check still guards against other nodes.
///
/// The current state of each session lives in memory on the node and is caught up from the stream's tail when
/// another node has written. The snapshot document (what lists and boards query) is written in the command's
/// transaction only when a session-level fact changes. Where a restarted node starts folding from is a
/// <see cref="QueueCheckpoint"/>, written every <see cref="CheckpointEvery"/> events after the command, off its path:
/// a 1,000-patient session is ~300 KB of JSONB, and writing it inside the command cost 20 ms every 100 events
/// (the p99 of the queue benchmark; docs/benchmarks.md).
/// </summary>
public sealed partial class QueueService(
    IDocumentStore store, TimeProvider time, Presence presence, QueueNotifier notifier, AuditTrail audit, IEnumerable<IQueueLedger> ledgers,
    TelemedMetrics metrics, ILogger<QueueService> logger)
{
    private const int Attempts = 20;
    private const int CheckpointEvery = 500;
    private readonly ConcurrentDictionary<Guid, SemaphoreSlim> writeLocks = new();
    private readonly ConcurrentDictionary<Guid, OpdSession> current = new();
    private readonly ConcurrentDictionary<Guid, Task> checkpoints = new();

    /// <summary>The session as it is now, including changes other nodes made.</summary>
    public async Task<OpdSession?> Load(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        return await CatchUp(session, sessionId, checkStream: true, cancellationToken);
    }

    /// <summary>Stored snapshots (from a query) as the queue holds them now: each caught up with its stream.</summary>
    public async Task<List<OpdSession>> Latest(IEnumerable<OpdSession> snapshots, CancellationToken cancellationToken)
    {
        var sessions = new List<OpdSession>();
        foreach (var snapshot in snapshots)
        {
            if (await Load(snapshot.Id, cancellationToken) is { } latest)
            {
                sessions.Add(latest);
            }
        }
        return sessions;
    }

    private async Task<OpdSession?> CatchUp(IQuerySession session, Guid sessionId, bool checkStream, CancellationToken cancellationToken)
    {
        if (current.TryGetValue(sessionId, out var known))
        {
            if (!checkStream)
            {
                return known;
            }
            var stream = await session.Events.FetchStreamStateAsync(sessionId, cancellationToken);
            if (stream is null || stream.Version == known.Version)
            {
                return stream is null ? null : known;
            }
        }
        var start = known ?? await StartingPoint(session, sessionId, cancellationToken);
        var tail = await session.Events.FetchStreamAsync(sessionId, fromVersion: (start?.Version ?? 0) + 1, token: cancellationToken);
        if (start is null && tail.Count == 0)
        {
            return null;
        }
        return Remember(tail.Select(e => (IQueueEvent)e.Data).Aggregate(start, OpdSession.Evolve)!);
    }

    /// <summary>The newer of the snapshot and the checkpoint: either is the fold of the stream up to its version.</summary>
    private static async Task<OpdSession?> StartingPoint(IQuerySession session, Guid sessionId, CancellationToken cancellationToken)
    {
        var snapshot = await session.LoadAsync<OpdSession>(sessionId, cancellationToken);
        var checkpoint = await session.LoadAsync<QueueCheckpoint>(sessionId, cancellationToken);
        return checkpoint?.Session.Version > (snapshot?.Version ?? 0) ? checkpoint.Session : snapshot;
    }

    /// <summary>
    /// Stores the state as a restart's starting point, after the command and outside its lock. One write per session at
    /// a time from this node; an older checkpoint landing after a newer one (from another node) is still a valid start.
    /// </summary>
    private void Checkpoint(OpdSession state)
    {
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!checkpoints.TryAdd(state.Id, written.Task))
        {
            return;
        }
        _ = Task.Run(async () =>
        {
            try
            {
                await using var session = store.LightweightSession();
                session.Store(new QueueCheckpoint(state.Id, state));
                await session.SaveChangesAsync();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Only the next restart's fold gets longer; the next checkpoint tries again.
                CheckpointFailed(logger, e.GetType().Name);
            }
            finally
            {
                checkpoints.TryRemove(state.Id, out _);
                written.SetResult();
            }
        });
    }

    /// <summary>Completes when the checkpoint writes this node has in flight are done.</summary>
    public Task CheckpointsWritten() => Task.WhenAll(checkpoints.Values);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue checkpoint not written: {ErrorType}")]
    private static partial void CheckpointFailed(ILogger logger, string errorType);

    private OpdSession Remember(OpdSession session) =>
        current.AddOrUpdate(session.Id, session, (_, known) => known.Version >= session.Version ? known : session);

    public async Task<QueueOutcome> Execute(
        ClaimsPrincipal caller,
        Guid sessionId,
        QueueCommand command,
        long? expectedVersion,
        CancellationToken cancellationToken,
        Action<IDocumentSession, OpdSession>? alsoOnChange = null)
    {
        var callerId = caller.AccountId();
        var writeLock = writeLocks.GetOrAdd(sessionId, _ => new SemaphoreSlim(1, 1));
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            return await Decide(caller, callerId, sessionId, command, expectedVersion, alsoOnChange, cancellationToken);
        }
        finally
        {
            writeLock.Release();
        }
    }

    private async Task<QueueOutcome> Decide(
        ClaimsPrincipal caller,
        Guid callerId,
        Guid sessionId,
        QueueCommand command,
        long? expectedVersion,
        Action<IDocumentSession, OpdSession>? alsoOnChange,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var session = store.LightweightSession();
            var state = await CatchUp(session, sessionId, checkStream: false, cancellationToken);
            if (state is null)
            {
                return QueueOutcome.NotFound;
            }
            if (!MayAct(caller, callerId, state, command))
            {
                await Audit(callerId, Resource(sessionId, command), command.Action, cancellationToken);
                return new QueueOutcome(QueueFailure.Forbidden, state, [], command.PatientOnly ? QueueError.NotYourToken : QueueError.NotSessionDoctor);
            }
            if (expectedVersion is { } expected && expected != state.Version)
            {
                // The client may have seen a version another node wrote: compare with the stream, not with this node's memory.
                state = (await CatchUp(session, sessionId, checkStream: true, cancellationToken))!;
                if (expected != state.Version)
                {
                    return new QueueOutcome(QueueFailure.StaleVersion, state, []);
                }
            }
            var decision = command.Decide(state, callerId, presence.IsOnline, time.GetUtcNow());
            if ((!decision.IsSuccess || decision.Value.Count == 0) && await Behind(session, state, cancellationToken) && attempt < Attempts)
            {
                // A refusal or a no-op writes nothing, so no version check would catch a decision made on state another
                // node has moved on from (nobody waiting here, but a patient checked in over there): catch up, decide again.
                current.TryRemove(sessionId, out _);
                continue;
            }
            if (!decision.IsSuccess)
            {
                if (decision.Error.Code is QueueErrorCode.NotYourToken or QueueErrorCode.NotSessionDoctor)
                {
                    await Audit(callerId, Resource(sessionId, command), command.Action, cancellationToken);
                    return new QueueOutcome(QueueFailure.Forbidden, state, [], decision.Error);
                }
                return new QueueOutcome(QueueFailure.Refused, state, [], decision.Error);
            }
            var events = decision.Value;
            if (events.Count == 0)
            {
                return new QueueOutcome(QueueFailure.None, state, []);
            }
            var next = events.Aggregate(state, OpdSession.Evolve);
            session.Events.Append(sessionId, next.Version, events.Cast<object>().ToArray());
            if (NeedsSnapshot(state, next, events))
            {
                session.Store(next);
            }
            foreach (var ledger in ledgers)
            {
                if (await ledger.Record(session, state, next, events, cancellationToken) is { } refusal)
                {
                    return new QueueOutcome(QueueFailure.Refused, state, [], refusal);
                }
            }
            alsoOnChange?.Invoke(session, next);
            try
            {
                await session.SaveChangesAsync(cancellationToken);
            }
            catch (Exception e) when (WroteFirst(e) && expectedVersion is null && attempt < Attempts)
            {
                // Another node wrote first: catch up with what it wrote and decide again, after a short random pause.
                current.TryRemove(sessionId, out _);
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
                continue;
            }
            catch (Exception e) when (WroteFirst(e))
            {
                current.TryRemove(sessionId, out _);
                return new QueueOutcome(QueueFailure.Conflict, await Load(sessionId, cancellationToken), []);
            }
            Remember(next);
            if (next.Version / CheckpointEvery != state.Version / CheckpointEvery)
            {
                Checkpoint(next);
            }
            foreach (var called in events.OfType<TokenCalled>().Where(e => state.Entries[e.Token - 1].CalledAt is null))
            {
                metrics.WaitingTime.Record((called.At - state.Entries[called.Token - 1].CheckedInAt).TotalSeconds);
            }
            await notifier.Changed(state, next, events);
            return new QueueOutcome(QueueFailure.None, next, events);
        }
    }

    /// <summary>
    /// Another writer got to one of the command's streams first: the session's (another node), or the consultation's (a
    /// participant joining the room while the doctor completes). In a batch that also starts a stream (the prescription
    /// on completion) Marten reports that race as a collision of the new stream, whose id is fresh, so it means the same.
    /// </summary>
    private static bool WroteFirst(Exception e) =>
        e is EventStreamUnexpectedMaxEventIdException or Marten.Exceptions.ExistingStreamIdCollisionException;

    private static async Task<bool> Behind(IQuerySession session, OpdSession state, CancellationToken cancellationToken) =>
        (await session.Events.FetchStreamStateAsync(state.Id, cancellationToken))?.Version > state.Version;

    /// <summary>Patients in line and consultations in progress, over the sessions this node holds in memory.</summary>
    public (int Waiting, int InConsultation) Counts()
    {
        var sessions = current.Values;
        return (sessions.Sum(s => s.Entries.Count(e => e.IsInLine)), sessions.Sum(s => s.Entries.Count(e => e.State == TokenState.InConsultation)));
    }

    /// <summary>Opens a new session: its stream starts with SessionOpened and its first snapshot.</summary>
    public async Task<OpdSession> Open(SessionOpened opened, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var state = OpdSession.Create(opened);
        session.Events.StartStream<OpdSession>(opened.SessionId, opened);
        session.Store(state);
        await session.SaveChangesAsync(cancellationToken);
        Remember(state);
        await notifier.Changed(null, state, [opened]);
        return state;
    }

    /// <summary>Folds the session's events afresh: what the snapshot must equal (used to check and to repair it).</summary>
    public async Task<OpdSession?> Replay(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(sessionId, token: cancellationToken);
        return events.Count == 0 ? null : events.Select(e => (IQueueEvent)e.Data).Aggregate((OpdSession?)null, OpdSession.Evolve);
    }

    /// <summary>Session-level facts (status) must always be current in the snapshot, since lists and boards query it.</summary>
    private static bool NeedsSnapshot(OpdSession before, OpdSession after, IReadOnlyList<IQueueEvent> events) =>
        before.Status != after.Status || events.Any(e => e is SessionOpened);

    public static bool IsStaffOf(ClaimsPrincipal caller, Guid callerId, OpdSession session) =>
        caller.IsInRole(Roles.Admin) || (caller.IsInRole(Roles.Doctor) && session.HasDoctor(callerId));

    /// <summary>The server itself acting on a session (payments arriving, holds lapsing): no person, so no one to authorise.</summary>
    public Task<QueueOutcome> ExecuteAsSystem(
        Guid sessionId, QueueCommand command, CancellationToken cancellationToken, Action<IDocumentSession, OpdSession>? alsoOnChange = null) =>
        Execute(SystemCaller, sessionId, command, null, cancellationToken, alsoOnChange);

    private static readonly ClaimsPrincipal SystemCaller = new(new ClaimsIdentity(
        [new Claim(System.IdentityModel.Tokens.Jwt.JwtRegisteredClaimNames.Sub, Guid.Empty.ToString()), new Claim(ClaimTypes.Role, SystemRole)], "system"));

    private const string SystemRole = "system";

    private static bool MayAct(ClaimsPrincipal caller, Guid callerId, OpdSession session, QueueCommand command) =>
        command.SystemOnly ? ReferenceEquals(caller, SystemCaller)
        : command.PatientOnly ? caller.IsInRole(Roles.Patient)
        : command.DoctorOnly ? caller.IsInRole(Roles.Doctor) && session.HasDoctor(callerId)
        : IsStaffOf(caller, callerId, session);

    /// <summary>Records a refused attempt on the caller's own audit stream (never on the session's, whose version guards the queue).</summary>
    public Task Audit(Guid callerId, string resource, string action, CancellationToken cancellationToken) =>
        audit.Refused(callerId, resource, action, cancellationToken);

    /// <summary>Records on the reader's audit stream that staff read the session's queue (names, ages, complaints).</summary>
    public Task AuditRead(Guid readerId, Guid sessionId, string action, CancellationToken cancellationToken) =>
        audit.Granted(readerId, $"opd-session/{sessionId}", action, cancellationToken);

    public static string Resource(Guid sessionId, QueueCommand command) =>
        command.Token is { } token ? $"opd-session/{sessionId}/token/{token}" : $"opd-session/{sessionId}";
}
