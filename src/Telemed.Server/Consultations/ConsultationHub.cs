using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Telemed.Domain;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Signalling;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Realtime;

namespace Telemed.Server.Consultations;

/// <summary>
/// What the consultation hub pushes: to one room, one participant in it, or one doctor invited into a room. The token is the
/// push's deadline (<see cref="Pushes"/>), not an argument the client receives.
/// </summary>
public interface IConsultationClient
{
    Task PeerJoined(RoomPeer peer, CancellationToken deadline);

    Task PeerLeft(RoomPeer peer, CancellationToken deadline);

    Task PeerDisconnected(RoomPeer peer, CancellationToken deadline);

    Task Offer(SdpMessage offer, CancellationToken deadline);

    Task Answer(SdpMessage answer, CancellationToken deadline);

    Task IceCandidate(CandidateMessage candidate, CancellationToken deadline);

    Task EndOfCandidates(PeerSignal signal, CancellationToken deadline);

    Task IceRestartRequested(PeerSignal signal, CancellationToken deadline);

    Task PeerTyping(PeerSignal signal, CancellationToken deadline);

    Task PeerMediaState(MediaStateMessage state, CancellationToken deadline);

    Task PeerVideoPaused(VideoPausedMessage paused, CancellationToken deadline);

    Task CallModeChanged(CallModeMessage mode, CancellationToken deadline);

    Task ChatMessage(ChatMessageView message, CancellationToken deadline);

    Task ChatReceipt(ChatReceipt receipt, CancellationToken deadline);

    /// <summary>To the room: a participant shared a file or photo (<see cref="SharedFileEndpoints"/>).</summary>
    Task FileShared(SharedFileView file, CancellationToken deadline);

    /// <summary>To the room: a medical device's reading was recorded (from a participant's browser or a kiosk device).</summary>
    Task DeviceReading(DeviceReadingView reading, CancellationToken deadline);

    /// <summary>To one doctor: the consulting doctor added them to a consultation's room.</summary>
    Task InvitedToConsultation(ConsultationInvitation invitation, CancellationToken deadline);
}

/// <summary>
/// Consultation rooms at /hubs/consultation: joining, relaying WebRTC signalling from one participant to another in the same
/// room (after validating it), call mode, media state and chat. The call is a mesh: every pair of participants has its own
/// peer connection, so signalling is addressed to one participant while everything else goes to the whole room.
/// A sender never waits for the others to take what it sent (<see cref="Pushes"/>). The server never carries media.
/// </summary>
[Authorize(Policy = IdentitySetup.CallParticipant)]
public sealed class ConsultationHub(
    ConsultationService consultations,
    ConsultationRooms rooms,
    RoomRegistry registry,
    AuditTrail audit,
    TelemedMetrics metrics,
    Pushes pushes,
    TimeProvider time) : Hub<IConsultationClient>
{
    /// <summary>One doctor's connections, on every node: where invitations into another doctor's room are pushed.</summary>
    public static string InvitationsGroup(Guid doctorId) => $"staff:{doctorId}";

    private Guid CallerId => Context.User!.AccountId();

    public override async Task OnConnectedAsync()
    {
        if (Context.User!.IsInRole(Roles.Doctor))
        {
            await Groups.AddToGroupAsync(Context.ConnectionId, InvitationsGroup(CallerId));
        }
        await base.OnConnectedAsync();
    }

    /// <summary>A participant whose connection closed without hanging up keeps their place for the grace period.</summary>
    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        if (registry.Exit(Context.ConnectionId) is { } member)
        {
            rooms.Dropped(member);
        }
        await base.OnDisconnectedAsync(exception);
    }

    public async Task<HubResult<RoomState>> JoinRoom(Guid consultationId)
    {
        var recorded = await consultations.Execute(consultationId, (state, now) => ConsultationDecisions.Join(state, CallerId, now), Context.ConnectionAborted);
        if (!recorded.IsSuccess)
        {
            if (recorded.Error == ConsultationError.NotParticipant)
            {
                await audit.Refused(CallerId, $"consultation/{consultationId}", "join room", Context.ConnectionAborted);
            }
            return HubResult<RoomState>.Failure(recorded.Error.Code, recorded.Error.Message);
        }
        var state = recorded.Value.State;
        var member = new RoomMember(consultationId, CallerId, state.RoleOf(CallerId)!.Value, Context.ConnectionId);
        var rejoined = registry.Enter(member);
        await Groups.AddToGroupAsync(Context.ConnectionId, RoomRegistry.Group(consultationId));
        await Groups.AddToGroupAsync(Context.ConnectionId, RoomRegistry.MemberGroup(consultationId, CallerId));
        var joined = new RoomPeer(consultationId, CallerId, member.Role);
        pushes.Send(deadline => Clients.OthersInGroup(RoomRegistry.Group(consultationId)).PeerJoined(joined, deadline));
        // The other side may have joined after our join was recorded but before we were in the group (across nodes, entering
        // waits on Redis), so its PeerJoined missed us: who is present is read again now that nothing more can be missed.
        state = await consultations.Load(consultationId, Context.ConnectionAborted) ?? state;
        var present = state.Present.Select(id => new RoomPeer(consultationId, id, state.RoleOf(id)!.Value)).ToList();
        return HubResult<RoomState>.Success(new RoomState(consultationId, state.Status, state.Mode, present, rejoined));
    }

    public Task<HubResult<bool>> SendOffer(Guid consultationId, Guid to, string sdp, int negotiation) => RelaySdp(consultationId, to, "offer", sdp, negotiation);

    public Task<HubResult<bool>> SendAnswer(Guid consultationId, Guid to, string sdp, int negotiation) => RelaySdp(consultationId, to, "answer", sdp, negotiation);

    /// <summary>Relays a candidate; one the deployment forbids is dropped (value false) rather than refused.</summary>
    public async Task<HubResult<bool>> SendIceCandidate(Guid consultationId, Guid to, string candidate, string? sdpMid, int? sdpMLineIndex)
    {
        if (await Addressable(consultationId, to, "send ICE candidate") is { } refused)
        {
            return refused;
        }
        var screened = rooms.Screen(candidate, sdpMid, sdpMLineIndex);
        if (!screened.IsSuccess)
        {
            return HubResult<bool>.Failure(screened.Error.Code, screened.Error.Message);
        }
        if (screened.Value)
        {
            rooms.Relay(new CandidateMessage(consultationId, CallerId, to, candidate, sdpMid, sdpMLineIndex));
        }
        return HubResult<bool>.Success(screened.Value);
    }

    public Task<HubResult<bool>> SendEndOfCandidates(Guid consultationId, Guid to) =>
        SignalTo(consultationId, to, "end of candidates", (client, signal, deadline) => client.EndOfCandidates(signal, deadline));

    public Task<HubResult<bool>> RequestIceRestart(Guid consultationId, Guid to) =>
        SignalTo(consultationId, to, "request ICE restart", (client, signal, deadline) => client.IceRestartRequested(signal, deadline));

    public async Task<HubResult<bool>> SendTyping(Guid consultationId)
    {
        if (await InRoom(consultationId, "typing") is { } refused)
        {
            return refused;
        }
        var typing = new PeerSignal(consultationId, CallerId, null);
        pushes.Send(deadline => Clients.OthersInGroup(RoomRegistry.Group(consultationId)).PeerTyping(typing, deadline));
        metrics.Relayed("typing");
        return HubResult<bool>.Success(true);
    }

    public async Task<HubResult<bool>> SetMediaState(Guid consultationId, bool microphone, bool camera)
    {
        if (await InRoom(consultationId, "media state") is { } refused)
        {
            return refused;
        }
        // The patient's camera is the evidence for TPG 2020's "seen on video"; the others' are only relayed.
        if (registry.Member(Context.ConnectionId, consultationId)?.Role is ParticipantRole.Patient or ParticipantRole.HealthWorker)
        {
            var recorded = await consultations.Execute(consultationId, (state, now) => ConsultationDecisions.ReportCamera(state, CallerId, camera, now),
                Context.ConnectionAborted);
            if (!recorded.IsSuccess)
            {
                return HubResult<bool>.Failure(recorded.Error.Code, recorded.Error.Message);
            }
        }
        var media = new MediaStateMessage(consultationId, CallerId, microphone, camera);
        pushes.Send(deadline => Clients.OthersInGroup(RoomRegistry.Group(consultationId)).PeerMediaState(media, deadline));
        return HubResult<bool>.Success(true);
    }

    /// <summary>Relayed, not recorded: the link decides it every few seconds, the call's mode is what the people chose.</summary>
    public async Task<HubResult<bool>> SetVideoPaused(Guid consultationId, bool paused)
    {
        if (await InRoom(consultationId, "video paused") is { } refused)
        {
            return refused;
        }
        var message = new VideoPausedMessage(consultationId, CallerId, paused);
        pushes.Send(deadline => Clients.OthersInGroup(RoomRegistry.Group(consultationId)).PeerVideoPaused(message, deadline));
        return HubResult<bool>.Success(true);
    }

    public async Task<HubResult<bool>> SetCallMode(Guid consultationId, CallMode mode)
    {
        var recorded = await Record(consultationId, "call mode", (state, now) => ConsultationDecisions.ChangeMode(state, CallerId, mode, now));
        if (recorded is { Ok: true, Value: true })
        {
            var changed = new CallModeMessage(consultationId, mode, CallerId);
            pushes.Send(deadline => Clients.Group(RoomRegistry.Group(consultationId)).CallModeChanged(changed, deadline));
        }
        return recorded.Ok ? HubResult<bool>.Success(true) : recorded;
    }

    public Task<HubResult<bool>> ReportConnected(Guid consultationId) =>
        Record(consultationId, "report connected", (state, now) =>
        {
            var decided = ConsultationDecisions.ReportConnected(state, CallerId, now);
            if (decided.IsSuccess && decided.Value.Count > 0 && !state.EverConnected)
            {
                metrics.CallSetupTime.Record((now - state.StartedAt).TotalSeconds);
            }
            return decided;
        });

    /// <summary>The reply is the server's receipt (stored); the others get the message and answer with receipts.</summary>
    public async Task<HubResult<ChatMessageView>> SendChat(Guid consultationId, Guid messageId, string text)
    {
        var recorded = await consultations.Execute(consultationId, (state, now) => ConsultationDecisions.PostChat(state, CallerId, messageId, text, now), Context.ConnectionAborted);
        if (!recorded.IsSuccess)
        {
            return HubResult<ChatMessageView>.Failure(recorded.Error.Code, recorded.Error.Message);
        }
        if (registry.Member(Context.ConnectionId, consultationId) is null)
        {
            return HubResult<ChatMessageView>.Failure(ConsultationError.NotInRoom.Code, ConsultationError.NotInRoom.Message);
        }
        var posted = recorded.Value.Events.OfType<ChatMessagePosted>().FirstOrDefault();
        var view = new ChatMessageView(consultationId, messageId, CallerId, posted?.Text ?? text.Trim(), posted?.At ?? time.GetUtcNow());
        if (posted is not null)
        {
            pushes.Send(deadline => Clients.OthersInGroup(RoomRegistry.Group(consultationId)).ChatMessage(view, deadline));
        }
        return HubResult<ChatMessageView>.Success(view);
    }

    /// <summary>"delivered" when the message reached this client, "read" when it was shown (recorded).</summary>
    public async Task<HubResult<bool>> AcknowledgeChat(Guid consultationId, Guid messageId, bool read)
    {
        var result = read
            ? await Record(consultationId, "read receipt", (state, now) => ConsultationDecisions.MarkRead(state, CallerId, messageId, now))
            : await InRoom(consultationId, "delivery receipt") ?? HubResult<bool>.Success(true);
        if (result.Ok)
        {
            var receipt = new ChatReceipt(consultationId, messageId, CallerId, read ? "read" : "delivered", time.GetUtcNow());
            pushes.Send(deadline => Clients.OthersInGroup(RoomRegistry.Group(consultationId)).ChatReceipt(receipt, deadline));
        }
        return result.Ok ? HubResult<bool>.Success(true) : result;
    }

    public async Task<HubResult<bool>> HangUp(Guid consultationId)
    {
        if (registry.Member(Context.ConnectionId, consultationId) is not { } member)
        {
            return HubResult<bool>.Failure(ConsultationError.NotInRoom.Code, ConsultationError.NotInRoom.Message);
        }
        registry.Exit(Context.ConnectionId);
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, RoomRegistry.Group(consultationId));
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, RoomRegistry.MemberGroup(consultationId, CallerId));
        await consultations.Execute(consultationId, (state, now) => ConsultationDecisions.Leave(state, CallerId, "hung up", now), Context.ConnectionAborted);
        var left = new RoomPeer(consultationId, CallerId, member.Role);
        pushes.Send(deadline => Clients.Group(RoomRegistry.Group(consultationId)).PeerLeft(left, deadline));
        return HubResult<bool>.Success(true);
    }

    private async Task<HubResult<bool>> RelaySdp(Guid consultationId, Guid to, string type, string sdp, int negotiation)
    {
        if (await Addressable(consultationId, to, $"send {type}") is { } refused)
        {
            return refused;
        }
        var valid = SdpValidator.Validate(sdp, SdpLimits.Consultation);
        if (!valid.IsSuccess)
        {
            return HubResult<bool>.Failure(valid.Error.Code, valid.Error.Message);
        }
        var message = new SdpMessage(consultationId, CallerId, to, type, rooms.WithoutDroppedCandidates(sdp), negotiation);
        var addressee = Clients.Group(RoomRegistry.MemberGroup(consultationId, to));
        pushes.Send(deadline => type == "offer" ? addressee.Offer(message, deadline) : addressee.Answer(message, deadline));
        metrics.Relayed(type);
        return HubResult<bool>.Success(true);
    }

    private async Task<HubResult<bool>> SignalTo(Guid consultationId, Guid to, string action, Func<IConsultationClient, PeerSignal, CancellationToken, Task> send)
    {
        if (await Addressable(consultationId, to, action) is { } refused)
        {
            return refused;
        }
        var addressee = Clients.Group(RoomRegistry.MemberGroup(consultationId, to));
        var signal = new PeerSignal(consultationId, CallerId, to);
        pushes.Send(deadline => send(addressee, signal, deadline));
        metrics.Relayed(action);
        return HubResult<bool>.Success(true);
    }

    /// <summary>Records a decision for a caller in the room; the value says whether anything was recorded.</summary>
    private async Task<HubResult<bool>> Record(
        Guid consultationId, string action, Func<Consultation, DateTimeOffset, Result<IReadOnlyList<IConsultationEvent>, ConsultationError>> decide)
    {
        if (await InRoom(consultationId, action) is { } refused)
        {
            return refused;
        }
        var recorded = await consultations.Execute(consultationId, decide, Context.ConnectionAborted);
        return recorded.IsSuccess
            ? HubResult<bool>.Success(recorded.Value.Events.Count > 0)
            : HubResult<bool>.Failure(recorded.Error.Code, recorded.Error.Message);
    }

    /// <summary>
    /// Null when this connection has joined the room and the addressee is someone else. Only the room's members are in
    /// the addressee's member group, so a message to anyone outside the room reaches no one.
    /// </summary>
    private async Task<HubResult<bool>?> Addressable(Guid consultationId, Guid to, string action)
    {
        if (await InRoom(consultationId, action) is { } refused)
        {
            return refused;
        }
        return to == CallerId ? HubResult<bool>.Failure("AddressedToSelf", "Signalling goes to another participant, not to yourself.") : null;
    }

    /// <summary>Null when this connection has joined the room; otherwise the refusal, audited.</summary>
    private async Task<HubResult<bool>?> InRoom(Guid consultationId, string action)
    {
        if (registry.Member(Context.ConnectionId, consultationId) is not null)
        {
            return null;
        }
        await audit.Refused(CallerId, $"consultation/{consultationId}", action, Context.ConnectionAborted);
        return HubResult<bool>.Failure(ConsultationError.NotInRoom.Code, ConsultationError.NotInRoom.Message);
    }
}
