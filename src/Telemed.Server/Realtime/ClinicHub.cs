using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Telemed.Domain.Identity;
using Telemed.Server.Identity;
using Telemed.Server.Consultations;
using Telemed.Server.Queue;

using Telemed.Server.Infrastructure;

namespace Telemed.Server.Realtime;

/// <summary>What the server pushes to signed-in clients. Every push goes to a group (a session's staff, one patient), never to all.</summary>
public interface IClinicClient
{
    Task QueueUpdated(QueueDelta delta);

    Task PositionChanged(Telemed.Domain.Queue.PatientPosition position);

    Task PatientPresenceChanged(PresenceChange change);

    Task PeerJoined(RoomPeer peer);

    Task PeerLeft(RoomPeer peer);

    Task PeerDisconnected(RoomPeer peer);

    Task Offer(SdpMessage offer);

    Task Answer(SdpMessage answer);

    Task IceCandidate(CandidateMessage candidate);

    Task EndOfCandidates(PeerSignal signal);

    Task IceRestartRequested(PeerSignal signal);

    Task PeerTyping(PeerSignal signal);

    Task PeerMediaState(MediaStateMessage state);

    Task CallModeChanged(CallModeMessage mode);

    Task ChatMessage(ChatMessageView message);

    Task ChatReceipt(ChatReceipt receipt);

    /// <summary>To one doctor: the consulting doctor added them to a consultation's room.</summary>
    Task InvitedToConsultation(ConsultationInvitation invitation);

    /// <summary>To health officers and admins: a district's syndrome count just exceeded what EARS expects.</summary>
    Task OutbreakAlert(Analytics.OutbreakAlert alert);
}

/// <summary>A hub reply: the value, or a typed error for this caller only (the connection stays open).</summary>
public sealed record HubResult<T>(bool Ok, T? Value, HubError? Error)
{
    public static HubResult<T> Success(T value) => new(true, value, null);

    public static HubResult<T> Failure(string code, string message) => new(false, default, new HubError(code, message));
}

public sealed record HubError(string Code, string Message);

public static class HubGroups
{
    public static string SessionStaff(Guid sessionId) => $"session:{sessionId}:staff";

    public static string Patient(Guid patientId) => $"patient:{patientId}";

    public static string Board(Guid facilityId) => $"board:{facilityId}";

    /// <summary>One doctor's connections, on every node: where invitations into another doctor's room are pushed.</summary>
    public static string Staff(Guid doctorId) => $"staff:{doctorId}";

    public const string HealthOfficers = "health-officers";
}

/// <summary>
/// The clinic hub at /hubs/clinic: the live queue now, consultation signalling later. Feature slices add their
/// methods to this partial class in their own folders.
/// </summary>
[Authorize]
public sealed partial class ClinicHub(
    QueueService queue,
    Presence presence,
    QueueNotifier notifier,
    ConsultationService consultations,
    ConsultationRooms rooms,
    RoomRegistry registry,
    TelemedMetrics metrics,
    LiveConnections live,
    TimeProvider time) : Hub<IClinicClient>
{
    private Guid CallerId => Context.User!.AccountId();

    private bool CallerIsPatient => Context.User!.IsInRole(Roles.Patient);

    public override async Task OnConnectedAsync()
    {
        live.Opened(Context);
        if (CallerIsPatient)
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Patient(CallerId));
            if (await presence.Connected(CallerId))
            {
                await notifier.PresenceChanged(CallerId, online: true);
            }
        }
        else if (Context.User!.IsInRole(Roles.HealthOfficer) || Context.User.IsInRole(Roles.Admin))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.HealthOfficers);
        }
        else if (Context.User.IsInRole(Roles.Doctor))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, HubGroups.Staff(CallerId));
        }
        await base.OnConnectedAsync();
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        live.Closed(Context.ConnectionId);
        if (registry.Exit(Context.ConnectionId) is { } member)
        {
            await rooms.Dropped(member);
        }
        if (CallerIsPatient && await presence.Disconnected(CallerId))
        {
            await notifier.PresenceChanged(CallerId, online: false);
        }
        await base.OnDisconnectedAsync(exception);
    }
}
