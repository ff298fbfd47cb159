using System.Collections.Concurrent;
using System.Security.Claims;
using JasperFx.Events.Fetching;
using Marten;
using Telemed.Domain.Identity;
using Telemed.Domain.Queue;
using Telemed.Domain.Records;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Realtime;
using Telemed.Server.Records;

namespace Telemed.Server.Queue;

public enum QueueFailure
{
    None,
    NotFound,
    Forbidden,
    Refused,
    StaleVersion,
}

/// <summary>What became of a command: the session as it now is, the events it caused, or why it failed.</summary>
public sealed record QueueOutcome(QueueFailure Failure, OpdSession? Session, IReadOnlyList<IQueueEvent> Events, QueueError? Error = null)
{
    public bool Succeeded => Failure == QueueFailure.None;

    public static QueueOutcome NotFound { get; } = new(QueueFailure.NotFound, null, []);
}

/// <summary>
/// Runs queue commands through Marten's write workflow: fetch the session for exclusive writing (its stream row stays
/// locked until the transaction ends, so a second doctor calling at the same moment, on any node, decides on the state
/// the first one left and gets the next patient), check the caller may touch it, decide, append, save.
/// Within one node, commands on a session also take turns before they borrow a connection: a burst of check-ins then
/// waits in memory instead of holding the pool while it waits for the row.
///
/// The state comes from Marten's write cache (bounded, node-local) plus the events after it, so a command reads no
/// 1,000-patient document; the async daemon keeps the stored snapshot near the head for restarts. Closed sessions
/// leave the cache.
/// </summary>
public sealed class QueueService(
    IDocumentStore store, RecentlyUsedAggregateWriteCache writeCache, TimeProvider time, Presence presence, QueueNotifier notifier, AuditTrail audit,
    IEnumerable<IQueueLedger> ledgers, TelemedMetrics metrics)
{
    private readonly KeyedLock<Guid> turns = new();
    private readonly ConcurrentDictionary<Guid, OpdSession> live = new();

    /// <summary>The session as it is now, including changes other nodes made.</summary>
    public async Task<OpdSession?> Load(Guid sessionId, CancellationToken cancellationToken)
    {
        using var turn = await turns.Acquire(sessionId, cancellationToken);
        await using var session = store.LightweightSession();
        var stream = await session.Events.FetchForWriting<OpdSession>(sessionId, cancellationToken);
        return stream.Aggregate is { } state ? Track(session, state) : null;
    }

    /// <summary>
    /// The session's fee, fixed when it opened: from this node's copy when it has one, else from the listing; null when
    /// there is no such session. A free check-in so goes straight to its command without reading the session first.
    /// </summary>
    public async Task<long?> Fee(Guid sessionId, IQuerySession db, CancellationToken cancellationToken) =>
        live.TryGetValue(sessionId, out var known) ? known.FeePaise : (await db.LoadAsync<SessionListing>(sessionId, cancellationToken))?.FeePaise;

    /// <summary>The listed sessions as the queue holds them now.</summary>
    public async Task<List<OpdSession>> Latest(IEnumerable<SessionListing> listings, CancellationToken cancellationToken)
    {
        var sessions = new List<OpdSession>();
        foreach (var listing in listings)
        {
            if (await Load(listing.Id, cancellationToken) is { } latest)
            {
                sessions.Add(latest);
            }
        }
        return sessions;
    }

    /// <summary>
    /// Runs the command in the session's turn and hands its pushes to the notifier before the turn ends, so they go out
    /// in commit order; nothing waits for them (a client that stopped reading holds up no later command).
    /// </summary>
    public async Task<QueueOutcome> Execute(
        ClaimsPrincipal caller,
        Guid sessionId,
        QueueCommand command,
        long? expectedVersion,
        CancellationToken cancellationToken,
        Action<IDocumentSession, OpdSession>? alsoOnChange = null)
    {
        using var turn = await turns.Acquire(sessionId, cancellationToken);
        var (outcome, before) = await Run(caller, sessionId, command, expectedVersion, alsoOnChange, cancellationToken);
        if (outcome.Succeeded && outcome.Events.Count > 0)
        {
            notifier.Changed(before, outcome.Session!, outcome.Events);
        }
        return outcome;
    }

    /// <summary>Fetches, authorises, decides and saves; returns the outcome and the state it was decided on.</summary>
    private async Task<(QueueOutcome Outcome, OpdSession? Before)> Run(
        ClaimsPrincipal caller,
        Guid sessionId,
        QueueCommand command,
        long? expectedVersion,
        Action<IDocumentSession, OpdSession>? alsoOnChange,
        CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var (outcome, before) = await Decide(session, caller, sessionId, command, expectedVersion, cancellationToken);
        if (!outcome.Succeeded || outcome.Events.Count == 0)
        {
            return (outcome, before);
        }
        alsoOnChange?.Invoke(session, outcome.Session!);
        await session.SaveChangesAsync(cancellationToken);
        Saved(session, before!, outcome);
        return (outcome, before);
    }

    /// <summary>
    /// Runs commands on several sessions as one transaction: each stream is fetched for exclusive writing (in the order of
    /// their ids, so two such runs never wait on each other in a cycle), every command decided and appended at the version
    /// it was decided on, and nothing is saved unless all of them succeed. The outcomes answer in the order of
    /// <paramref name="steps"/>; on a failure, the failed step's outcome comes first.
    /// </summary>
    public async Task<IReadOnlyList<QueueOutcome>> ExecuteTogether(
        ClaimsPrincipal caller, IReadOnlyList<(Guid SessionId, QueueCommand Command)> steps, CancellationToken cancellationToken)
    {
        var ordered = steps.Select((step, index) => (step.SessionId, step.Command, Index: index)).OrderBy(s => s.SessionId).ToList();
        if (ordered.Select(s => s.SessionId).Distinct().Count() != ordered.Count)
        {
            throw new ArgumentException("Each session takes one command of a joint run.", nameof(steps));
        }
        var turnsHeld = new List<IDisposable>();
        try
        {
            foreach (var step in ordered)
            {
                turnsHeld.Add(await turns.Acquire(step.SessionId, cancellationToken));
            }
            await using var session = store.LightweightSession();
            var results = new (QueueOutcome Outcome, OpdSession? Before)[steps.Count];
            foreach (var step in ordered)
            {
                var result = await Decide(session, caller, step.SessionId, step.Command, null, cancellationToken);
                if (!result.Outcome.Succeeded)
                {
                    return [result.Outcome];
                }
                results[step.Index] = result;
            }
            await session.SaveChangesAsync(cancellationToken);
            foreach (var (outcome, before) in results.Where(r => r.Outcome.Events.Count > 0))
            {
                Saved(session, before!, outcome);
                notifier.Changed(before, outcome.Session!, outcome.Events);
            }
            return [.. results.Select(r => r.Outcome)];
        }
        finally
        {
            foreach (var turn in turnsHeld)
            {
                turn.Dispose();
            }
        }
    }

    /// <summary>Fetches the session for exclusive writing, authorises, decides and appends in <paramref name="session"/>, without saving.</summary>
    private async Task<(QueueOutcome Outcome, OpdSession? Before)> Decide(
        IDocumentSession session, ClaimsPrincipal caller, Guid sessionId, QueueCommand command, long? expectedVersion, CancellationToken cancellationToken)
    {
        var callerId = caller.AccountId();
        var stream = await session.Events.FetchForExclusiveWriting<OpdSession>(sessionId, cancellationToken);
        if (stream.Aggregate is not { } state)
        {
            return (QueueOutcome.NotFound, null);
        }
        if (!MayAct(caller, callerId, state, command))
        {
            await Audit(callerId, command.Resource(sessionId), command.Action, cancellationToken);
            return (new QueueOutcome(QueueFailure.Forbidden, state, [], command.PatientOnly || command.HealthWorkerOnly ? QueueError.NotYourToken : QueueError.NotSessionDoctor), state);
        }
        if (expectedVersion is { } expected && expected != state.Version)
        {
            return (new QueueOutcome(QueueFailure.StaleVersion, state, []), state);
        }
        var decision = command.Decide(state, callerId, presence.IsOnline, time.GetUtcNow());
        if (!decision.IsSuccess)
        {
            if (decision.Error.Code is QueueErrorCode.NotYourToken or QueueErrorCode.NotYourBooking or QueueErrorCode.NotSessionDoctor)
            {
                await Audit(callerId, command.Resource(sessionId), command.Action, cancellationToken);
                return (new QueueOutcome(QueueFailure.Forbidden, state, [], decision.Error), state);
            }
            return (new QueueOutcome(QueueFailure.Refused, state, [], decision.Error), state);
        }
        var events = decision.Value;
        if (events.Count == 0)
        {
            return (new QueueOutcome(QueueFailure.None, state, []), state);
        }
        var next = events.Aggregate(state, OpdSession.Evolve);
        stream.AppendMany(events.Cast<object>().ToArray());
        foreach (var ledger in ledgers)
        {
            if (await ledger.Record(session, state, next, events, cancellationToken) is { } refusal)
            {
                return (new QueueOutcome(QueueFailure.Refused, state, [], refusal), state);
            }
        }
        return (new QueueOutcome(QueueFailure.None, next, events), state);
    }

    /// <summary>After a command's events are saved: the session's new state is remembered and its waits measured.</summary>
    private void Saved(IDocumentSession session, OpdSession before, QueueOutcome outcome)
    {
        Track(session, outcome.Session!);
        foreach (var called in outcome.Events.OfType<TokenCalled>().Where(e => before.Entries[e.Token - 1].CalledAt is null))
        {
            metrics.WaitingTime.Record((called.At - before.Entries[called.Token - 1].CheckedInAt).TotalSeconds);
        }
    }

    /// <summary>
    /// Remembers an open session for <see cref="Counts"/>; forgets it, here and in the write cache, once it has ended.
    /// </summary>
    private OpdSession Track(IDocumentSession session, OpdSession state)
    {
        if (state.Status == SessionStatus.Closed || state.EndsAt <= time.GetUtcNow())
        {
            live.TryRemove(state.Id, out _);
            // The key as Marten's fetch builds it: the database's identifier (obsolete only in favour of an id that Marten
            // itself does not use for this key yet), the tenant and the stream.
#pragma warning disable CS0618
            writeCache.Evict(new AggregateCacheKey(typeof(OpdSession), session.Database.Identifier, session.TenantId, state.Id));
#pragma warning restore CS0618
        }
        else
        {
            live.AddOrUpdate(state.Id, state, (_, known) => known.Version >= state.Version ? known : state);
        }
        return state;
    }

    /// <summary>Patients in line and consultations in progress, over the open sessions this node has served.</summary>
    public (int Waiting, int InConsultation) Counts()
    {
        var sessions = live.Values;
        return (sessions.Sum(s => s.Entries.Count(e => e.IsInLine)), sessions.Sum(s => s.Entries.Count(e => e.State == TokenState.InConsultation)));
    }

    /// <summary>Opens a new session: its stream starts with SessionOpened (in the session's turn, so its push goes before any command's).</summary>
    public async Task<OpdSession> Open(SessionOpened opened, CancellationToken cancellationToken)
    {
        using var turn = await turns.Acquire(opened.SessionId, cancellationToken);
        var state = OpdSession.From(opened);
        await using (var session = store.LightweightSession())
        {
            session.Events.StartStream<OpdSession>(opened.SessionId, opened);
            await session.SaveChangesAsync(cancellationToken);
            Track(session, state);
        }
        notifier.Changed(null, state, [opened]);
        return state;
    }

    /// <summary>Folds the session's events afresh, ignoring every snapshot and cache.</summary>
    public async Task<OpdSession?> Replay(Guid sessionId, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var events = await session.Events.FetchStreamAsync(sessionId, token: cancellationToken);
        return events.Count == 0 ? null : events.Select(e => (IQueueEvent)e.Data).Aggregate((OpdSession?)null, OpdSession.Evolve);
    }

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
        : command.HealthWorkerOnly ? caller.IsInRole(Roles.HealthWorker)
        : command.DoctorOnly ? caller.IsInRole(Roles.Doctor) && session.HasDoctor(callerId)
        : IsStaffOf(caller, callerId, session);

    /// <summary>Records a refused attempt on the caller's own audit stream (never on the session's, whose version guards the queue).</summary>
    public Task Audit(Guid callerId, string resource, string action, CancellationToken cancellationToken) =>
        audit.Refused(callerId, resource, action, cancellationToken);

    /// <summary>
    /// On what basis the caller may read the session's clinical content (its queue's complaints, check-in files): as
    /// one of its doctors, or as an admin under open emergency access; null when they may not.
    /// </summary>
    public async Task<QueueReader?> Reader(ClaimsPrincipal caller, Guid callerId, OpdSession session, CancellationToken cancellationToken)
    {
        if (caller.IsInRole(Roles.Doctor) && session.HasDoctor(callerId))
        {
            return new QueueReader(callerId, RecordAccessBasis.SessionStaff, null);
        }
        if (!caller.IsInRole(Roles.Admin))
        {
            return null;
        }
        await using var db = store.QuerySession();
        var grant = await db.LoadAsync<EmergencyAccessGrant>(EmergencyAccessGrant.Key(callerId, session.Id), cancellationToken);
        return EmergencyAccess.Allows(grant?.Access, time.GetUtcNow()) ? new QueueReader(callerId, RecordAccessBasis.EmergencyAccess, grant!.Access.Reason) : null;
    }

    /// <summary>
    /// Records that staff read the session's queue (names, ages, complaints): one event on the reader's stream that puts
    /// the read on the access log of every patient in it.
    /// </summary>
    public Task AuditRead(QueueReader reader, OpdSession session, string action, CancellationToken cancellationToken)
    {
        var patientIds = session.Entries.Select(e => e.PatientId).Distinct().ToArray();
        var read = new RecordsRead(reader.Id, action, reader.Basis.ToString(), $"opd-session/{session.Id}", patientIds, time.GetUtcNow(), reader.Reason);
        return Journal.Save(store, journal => journal.Events.Append(reader.Id, read), cancellationToken);
    }
}

/// <summary>Who reads a session's clinical content, on what basis, and the reason given for emergency access.</summary>
public sealed record QueueReader(Guid Id, RecordAccessBasis Basis, string? Reason);

/// <summary>An admin's emergency access to one session, keyed "adminId:sessionId"; the latest opening counts.</summary>
public sealed record EmergencyAccessGrant(string Id, EmergencyAccessOpened Access)
{
    public static string Key(Guid adminId, Guid sessionId) => $"{adminId:N}:{sessionId:N}";
}
