using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Consultations;
using Telemed.Domain.Signalling;
using Telemed.Server.Infrastructure;
using Telemed.Server.Realtime;

namespace Telemed.Server.Consultations;

/// <summary>
/// Room work that outlives a hub call or runs outside one: the end of a dropped participant's grace period, ICE server
/// lists, relaying candidates.
/// </summary>
public sealed class ConsultationRooms(
    IHubContext<ConsultationHub, IConsultationClient> hub,
    ConsultationService consultations,
    RoomRegistry registry,
    TelemedMetrics metrics,
    Pushes pushes,
    IOptions<SignallingOptions> signalling,
    IOptions<TurnOptions> turn,
    TimeProvider time)
{
    private readonly CandidateFilter candidateFilter = new(signalling.Value.ForbiddenCandidateNetworks);

    /// <summary>True to relay the candidate, false to drop it (the deployment forbids its address), or why it is invalid.</summary>
    public Result<bool, SignallingError> Screen(string candidate, string? sdpMid, int? sdpMLineIndex)
    {
        var parsed = IceCandidateValidator.Parse(candidate);
        if (!parsed.IsSuccess)
        {
            return parsed.Error;
        }
        if (sdpMid is { Length: > 32 } || sdpMLineIndex is < 0 or > 16)
        {
            return SignallingError.Candidate("sdpMid or sdpMLineIndex is out of range.");
        }
        return candidateFilter.Allows(parsed.Value);
    }

    /// <summary>The offer or answer without the candidates <see cref="Screen"/> would drop when trickled.</summary>
    public string WithoutDroppedCandidates(string sdp) => candidateFilter.Filter(sdp);

    /// <summary>To the addressee's connections in the room, on every node; the sender does not wait for them to take it.</summary>
    public void Relay(CandidateMessage candidate)
    {
        pushes.Send(deadline => hub.Clients.Group(RoomRegistry.MemberGroup(candidate.ConsultationId, candidate.To)).IceCandidate(candidate, deadline));
        metrics.Relayed("candidate");
    }

    /// <summary>A connection in a room closed without hanging up: tell the others, and wait for a rejoin.</summary>
    public void Dropped(RoomMember member)
    {
        if (registry.StillConnected(member.ConsultationId, member.AccountId))
        {
            return;
        }
        var peer = new RoomPeer(member.ConsultationId, member.AccountId, member.Role);
        // The grace period starts before anyone hears of the drop, so no reaction to the news can outrun it.
        registry.StartGrace(member, TimeSpan.FromSeconds(signalling.Value.ReconnectGraceSeconds), async () =>
        {
            await consultations.Execute(member.ConsultationId,
                (state, now) => ConsultationDecisions.Leave(state, member.AccountId, "connection lost", now), CancellationToken.None);
            pushes.Send(deadline => hub.Clients.Group(RoomRegistry.Group(member.ConsultationId)).PeerLeft(peer, deadline));
        });
        pushes.Send(deadline => hub.Clients.Group(RoomRegistry.Group(member.ConsultationId)).PeerDisconnected(peer, deadline));
    }

    /// <summary>
    /// STUN for everyone; with <paramref name="relay"/>, TURN (UDP, TCP, TLS) with credentials that expire, when coturn
    /// is configured. Relay costs the deployment bandwidth, so callers decide who may have it.
    /// </summary>
    public IceServers ServersFor(Guid accountId, bool relay)
    {
        var settings = turn.Value;
        var servers = new List<IceServer>();
        if (settings.StunUrls.Length > 0)
        {
            servers.Add(new IceServer(settings.StunUrls));
        }
        if (!relay || string.IsNullOrEmpty(settings.Secret) || settings.TurnUrls.Length == 0)
        {
            return new IceServers(servers, null);
        }
        var credential = TurnCredentials.Issue(settings.Secret, accountId.ToString("N"), time.GetUtcNow(), TimeSpan.FromMinutes(settings.CredentialMinutes));
        servers.Add(new IceServer(settings.TurnUrls, credential.Username, credential.Credential));
        return new IceServers(servers, credential.ExpiresAt);
    }
}
