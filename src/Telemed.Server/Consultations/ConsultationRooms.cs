using System.Buffers;
using System.Text.Json;
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
/// lists, relaying candidates (from the hub, and from <see cref="CandidateFastLane"/>).
/// </summary>
public sealed class ConsultationRooms(
    IHubContext<ClinicHub, IClinicClient> hub,
    HubLifetimeManager<ClinicHub> lifetime,
    DirectHubConnections connections,
    IOptions<JsonHubProtocolOptions> hubJson,
    ConsultationService consultations,
    RoomRegistry registry,
    TelemedMetrics metrics,
    IOptions<SignallingOptions> signalling,
    IOptions<TurnOptions> turn,
    TimeProvider time)
{
    private readonly CandidateFilter candidateFilter = new(signalling.Value.ForbiddenCandidateNetworks);

    // With a backplane, a participant may have connections on other nodes too, which only the lifetime manager reaches.
    private readonly bool singleNode = lifetime is DefaultHubLifetimeManager<ClinicHub>;

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

    /// <summary>
    /// To the addressee's connections in the room, on every node: sent straight to the socket when that is one direct
    /// connection on this node with nothing else waiting to be sent to it, else through the lifetime manager.
    /// </summary>
    public async Task Relay(CandidateMessage candidate, string lane)
    {
        metrics.Relayed("candidate", lane);
        if (singleNode && registry.Connections(candidate.ConsultationId, candidate.To) is [var addressee]
            && await SendStraight(addressee, nameof(IClinicClient.IceCandidate), candidate))
        {
            return;
        }
        await hub.Clients.Group(RoomRegistry.MemberGroup(candidate.ConsultationId, candidate.To)).IceCandidate(candidate);
    }

    // Borrowed by one send at a time on each thread, so relaying allocates no buffers once each thread has one.
    [ThreadStatic]
    private static (ArrayBufferWriter<byte> Buffer, Utf8JsonWriter Json)? spareWriter;

    /// <summary>Writes the message SignalR's JSON protocol writes for a call of <paramref name="target"/> on the client, and sends it.</summary>
    private async ValueTask<bool> SendStraight<T>(string connectionId, string target, T argument)
    {
        var (buffer, json) = spareWriter ?? (new ArrayBufferWriter<byte>(512), new Utf8JsonWriter(Stream.Null));
        spareWriter = null;
        try
        {
            json.Reset(buffer);
            json.WriteStartObject();
            json.WriteNumber("type", 1);
            json.WriteString("target", target);
            json.WriteStartArray("arguments");
            JsonSerializer.Serialize(json, argument, hubJson.Value.PayloadSerializerOptions);
            json.WriteEndArray();
            json.WriteEndObject();
            json.Flush();
            buffer.Write([DirectHubConnections.RecordSeparator]);
            return await connections.TrySend(connectionId, buffer.WrittenMemory);
        }
        finally
        {
            buffer.ResetWrittenCount();
            spareWriter = (buffer, json);
        }
    }

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
