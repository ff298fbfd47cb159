using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Telemed.Domain.Consultations;
using Telemed.Domain.Signalling;
using Telemed.Server.Realtime;

namespace Telemed.Server.Consultations;

/// <summary>Room work that outlives a hub call: the end of a dropped participant's grace period, ICE server lists.</summary>
public sealed class ConsultationRooms(
    IHubContext<ClinicHub, IClinicClient> hub,
    ConsultationService consultations,
    RoomRegistry registry,
    IOptions<SignallingOptions> signalling,
    IOptions<TurnOptions> turn,
    TimeProvider time)
{
    public CandidateFilter CandidateFilter { get; } = new(signalling.Value.ForbiddenCandidateNetworks);

    /// <summary>A connection in a room closed without hanging up: tell the others, and wait for a rejoin.</summary>
    public async Task Dropped(RoomMember member)
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
            await hub.Clients.Group(RoomRegistry.Group(member.ConsultationId)).PeerLeft(peer);
        });
        await hub.Clients.Group(RoomRegistry.Group(member.ConsultationId)).PeerDisconnected(peer);
    }

    /// <summary>STUN for everyone; TURN (UDP, TCP, TLS) with credentials that expire, when coturn is configured.</summary>
    public IceServers ServersFor(Guid accountId)
    {
        var settings = turn.Value;
        var servers = new List<IceServer>();
        if (settings.StunUrls.Length > 0)
        {
            servers.Add(new IceServer(settings.StunUrls));
        }
        if (string.IsNullOrEmpty(settings.Secret) || settings.TurnUrls.Length == 0)
        {
            return new IceServers(servers, null);
        }
        var credential = TurnCredentials.Issue(settings.Secret, accountId.ToString("N"), time.GetUtcNow(), TimeSpan.FromMinutes(settings.CredentialMinutes));
        servers.Add(new IceServer(settings.TurnUrls, credential.Username, credential.Credential));
        return new IceServers(servers, credential.ExpiresAt);
    }
}
