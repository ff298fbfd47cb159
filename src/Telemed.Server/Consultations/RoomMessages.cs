using Telemed.Domain.Consultations;

namespace Telemed.Server.Consultations;

public sealed record RoomPeer(Guid ConsultationId, Guid AccountId, ParticipantRole Role);

public sealed record RoomState(Guid ConsultationId, ConsultationStatus Status, CallMode Mode, IReadOnlyList<RoomPeer> Present, bool Rejoined);

/// <summary>An offer or answer. <c>Negotiation</c> numbers the offerer's attempts; an answer echoes its offer's number.</summary>
public sealed record SdpMessage(Guid ConsultationId, Guid From, string Type, string Sdp, int Negotiation);

public sealed record CandidateMessage(Guid ConsultationId, Guid From, string Candidate, string? SdpMid, int? SdpMLineIndex);

/// <summary>A signal with no body: end-of-candidates, ICE restart request, typing.</summary>
public sealed record PeerSignal(Guid ConsultationId, Guid From);

public sealed record MediaStateMessage(Guid ConsultationId, Guid From, bool Microphone, bool Camera);

public sealed record CallModeMessage(Guid ConsultationId, CallMode Mode, Guid By);

public sealed record ChatMessageView(Guid ConsultationId, Guid MessageId, Guid From, string Text, DateTimeOffset At);

public sealed record ChatReceipt(Guid ConsultationId, Guid MessageId, Guid By, string Kind, DateTimeOffset At);

public sealed record IceServer(IReadOnlyList<string> Urls, string? Username = null, string? Credential = null);

public sealed record IceServers(IReadOnlyList<IceServer> Servers, DateTimeOffset? ExpiresAt);
