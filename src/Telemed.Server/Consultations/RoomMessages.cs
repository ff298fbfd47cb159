using Telemed.Domain.Consultations;

namespace Telemed.Server.Consultations;

public sealed record RoomPeer(Guid ConsultationId, Guid AccountId, ParticipantRole Role);

public sealed record RoomState(Guid ConsultationId, ConsultationStatus Status, CallMode Mode, IReadOnlyList<RoomPeer> Present, bool Rejoined);

/// <summary>
/// An offer or answer from one participant to another (each pair in the room has its own peer connection).
/// <c>Negotiation</c> numbers the offerer's attempts in that pair; an answer echoes its offer's number.
/// </summary>
public sealed record SdpMessage(Guid ConsultationId, Guid From, Guid To, string Type, string Sdp, int Negotiation);

public sealed record CandidateMessage(Guid ConsultationId, Guid From, Guid To, string Candidate, string? SdpMid, int? SdpMLineIndex);

/// <summary>A signal with no body: end-of-candidates and ICE restart requests (to one participant), typing (to the room, no <c>To</c>).</summary>
public sealed record PeerSignal(Guid ConsultationId, Guid From, Guid? To);

public sealed record MediaStateMessage(Guid ConsultationId, Guid From, bool Microphone, bool Camera);

/// <summary>A participant's video paused by itself on a weak link (the call carries on as audio), or back.</summary>
public sealed record VideoPausedMessage(Guid ConsultationId, Guid From, bool Paused);

public sealed record CallModeMessage(Guid ConsultationId, CallMode Mode, Guid By);

public sealed record ChatMessageView(Guid ConsultationId, Guid MessageId, Guid From, string Text, DateTimeOffset At);

public sealed record ChatReceipt(Guid ConsultationId, Guid MessageId, Guid By, string Kind, DateTimeOffset At);

/// <summary>A device reading recorded on the consultation, as the room sees it live and the record lists it.</summary>
public sealed record DeviceReadingView(
    Guid ConsultationId, string ReadingId, Guid? DeviceId, string Device, string? Characteristic, Vitals? Vitals, decimal? GlucoseMgPerDl,
    DateTimeOffset? MeasuredAt, IReadOnlyList<string> Status, Guid By, DateTimeOffset At)
{
    public static DeviceReadingView Of(DeviceVitalsRecorded e) => new(e.ConsultationId, e.Observation.ReadingId, e.Observation.Device.DeviceId,
        e.Observation.Device.Name, e.Observation.Device.Characteristic, e.Observation.Vitals, e.Observation.GlucoseMgPerDl, e.Observation.MeasuredAt,
        e.Observation.Status, e.By, e.At);
}

public sealed record IceServer(IReadOnlyList<string> Urls, string? Username = null, string? Credential = null);

public sealed record IceServers(IReadOnlyList<IceServer> Servers, DateTimeOffset? ExpiresAt);
