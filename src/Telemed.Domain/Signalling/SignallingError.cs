namespace Telemed.Domain.Signalling;

/// <summary>Why a signalling message was refused: a stable code for clients and a sentence for people.</summary>
public sealed record SignallingError(string Code, string Message)
{
    public static SignallingError Sdp(string message) => new("InvalidSdp", message);

    public static SignallingError Candidate(string message) => new("InvalidCandidate", message);
}
