using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Telemed.Domain.Identity;
using Telemed.Domain.Queue;
using Telemed.Domain.Records;
using Telemed.Server.Identity;
using Telemed.Server.Prescriptions;
using Telemed.Server.Realtime;

namespace Telemed.Server.Queue;

/// <summary>
/// What the queue hub pushes. Every push goes to a group (a session's staff, one patient), never to all. The token is
/// the push's deadline (<see cref="Pushes"/>), not an argument the client receives.
/// </summary>
public interface IQueueClient
{
    Task QueueUpdated(QueueDelta delta, CancellationToken deadline);

    Task PositionChanged(PatientPosition position, CancellationToken deadline);

    Task PatientPresenceChanged(PresenceChange change, CancellationToken deadline);
}

public static class QueueGroups
{
    public static string SessionStaff(Guid sessionId) => $"session:{sessionId}:staff";

    public static string Patient(Guid patientId) => $"patient:{patientId}";

    public static string Board(Guid facilityId) => $"board:{facilityId}";
}

/// <summary>
/// The live queue at /hubs/queue: staff watch a session's queue and run its commands, patients watch their own token.
/// Each command is authorised against the session by <see cref="QueueService"/>.
/// </summary>
[Authorize]
public sealed class QueueHub(QueueService queue, Presence presence, QueueNotifier notifier) : Hub<IQueueClient>
{
    private Guid CallerId => Context.User!.AccountId();

    public override async Task OnConnectedAsync()
    {
        if (Context.User!.IsInRole(Roles.Patient))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, QueueGroups.Patient(CallerId));
        }
        await base.OnConnectedAsync();
    }

    /// <summary>Staff: start receiving this session's queue changes; returns the whole queue to apply them to.</summary>
    public async Task<HubResult<QueueView>> WatchQueue(Guid sessionId)
    {
        var session = await queue.Load(sessionId, Context.ConnectionAborted);
        if (session is null)
        {
            return HubResult<QueueView>.Failure("SessionNotFound", "There is no such OPD session.");
        }
        // Only the session's doctors watch: an admin's emergency access is read by read (REST), so it ends when it expires.
        if (await queue.Reader(Context.User!, CallerId, session, Context.ConnectionAborted) is not { Basis: RecordAccessBasis.SessionStaff } reader)
        {
            await queue.Audit(CallerId, $"opd-session/{sessionId}", "watch queue", Context.ConnectionAborted);
            return HubResult<QueueView>.Failure(nameof(QueueErrorCode.NotSessionDoctor), QueueError.NotSessionDoctor.Message);
        }
        await queue.AuditRead(reader, session, "watch queue", Context.ConnectionAborted);
        await Groups.AddToGroupAsync(Context.ConnectionId, QueueGroups.SessionStaff(sessionId));
        return HubResult<QueueView>.Success(QueueViews.Queue(session, presence.IsOnline));
    }

    /// <summary>Patient: the caller's own token in this session; later changes arrive as PositionChanged.</summary>
    public async Task<HubResult<PatientPosition>> WatchMyToken(Guid sessionId)
    {
        var session = await queue.Load(sessionId, Context.ConnectionAborted);
        var entry = session?.Entries.LastOrDefault(e => e.PatientId == CallerId);
        if (session is null || entry is null)
        {
            return HubResult<PatientPosition>.Failure("NotCheckedIn", "You have not checked in to this OPD session.");
        }
        await presence.Watching(CallerId, sessionId, entry.Token);
        await notifier.PresenceChanged(CallerId, online: true);
        return HubResult<PatientPosition>.Success(QueueViews.Position(session, entry, QueueViews.Positions(session)));
    }

    public Task<HubResult<QueueRow>> CallNext(Guid sessionId) => Run(sessionId, new CallNext());

    public Task<HubResult<QueueRow>> CallToken(Guid sessionId, int token) => Run(sessionId, new CallToken(token));

    public Task<HubResult<QueueRow>> Skip(Guid sessionId, int token) => Run(sessionId, new SkipToken(token));

    public Task<HubResult<QueueRow>> MarkNoShow(Guid sessionId, int token) => Run(sessionId, new MarkNoShow(token));

    public Task<HubResult<QueueRow>> Recall(Guid sessionId, int token) => Run(sessionId, new RecallToken(token));

    public Task<HubResult<QueueRow>> StartConsultation(Guid sessionId, int token) => Run(sessionId, new StartConsultation(token));

    /// <summary>Completes the consultation; a prescription is signed with the doctor's key the unlock token opens (null when nothing is prescribed).</summary>
    public async Task<HubResult<QueueRow>> Complete(Guid sessionId, int token, string? signingUnlock)
    {
        using (PresentedUnlock.Present(signingUnlock))
        {
            return await Run(sessionId, new CompleteConsultation(token));
        }
    }

    public Task<HubResult<QueueRow>> MarkLeft(Guid sessionId, int token) => Run(sessionId, new MarkLeft(token));

    public Task<HubResult<QueueRow>> Prioritise(Guid sessionId, int token, Priority priority) => Run(sessionId, new PrioritiseToken(token, priority));

    public Task<HubResult<QueueRow>> PauseSession(Guid sessionId) => Run(sessionId, new PauseSession());

    public Task<HubResult<QueueRow>> ResumeSession(Guid sessionId) => Run(sessionId, new ResumeSession());

    public Task<HubResult<QueueRow>> CloseSession(Guid sessionId) => Run(sessionId, new CloseSession());

    /// <summary>Patient: give up their own token.</summary>
    public async Task<HubResult<PatientPosition>> CancelMyToken(Guid sessionId, int token)
    {
        var outcome = await queue.Execute(Context.User!, sessionId, new CancelToken(token), null, Context.ConnectionAborted);
        if (!outcome.Succeeded)
        {
            var (code, message) = QueueReplies.Describe(outcome);
            return HubResult<PatientPosition>.Failure(code, message);
        }
        var session = outcome.Session!;
        return HubResult<PatientPosition>.Success(QueueViews.Position(session, session.Entries[token - 1], QueueViews.Positions(session)));
    }

    /// <summary>Runs a staff command; the reply is the row it touched (none for session-wide commands).</summary>
    private async Task<HubResult<QueueRow>> Run(Guid sessionId, QueueCommand command)
    {
        var outcome = await queue.Execute(Context.User!, sessionId, command, null, Context.ConnectionAborted);
        if (!outcome.Succeeded)
        {
            var (code, message) = QueueReplies.Describe(outcome);
            return HubResult<QueueRow>.Failure(code, message);
        }
        return HubResult<QueueRow>.Success(QueueReplies.TouchedRow(outcome, command, presence.IsOnline)!);
    }
}
