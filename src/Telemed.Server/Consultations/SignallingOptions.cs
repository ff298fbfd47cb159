using System.ComponentModel.DataAnnotations;

namespace Telemed.Server.Consultations;

/// <summary>Room signalling; the same section's per-connection message budget is <see cref="Realtime.HubRateLimitOptions"/>.</summary>
public sealed class SignallingOptions
{
    public const string Section = "Signalling";

    /// <summary>How long a dropped participant may take to rejoin before the other side is told they left.</summary>
    [Range(1, 3600)]
    public int ReconnectGraceSeconds { get; set; } = 120;

    /// <summary>CIDR ranges whose ICE candidates are dropped before relay (e.g. the deployment's own private networks).</summary>
    public string[] ForbiddenCandidateNetworks { get; set; } = [];
}

public sealed class TurnOptions
{
    public const string Section = "Turn";

    /// <summary>coturn's static-auth-secret (use-auth-secret). Without it, only the STUN servers are handed out.</summary>
    public string? Secret { get; set; }

    /// <summary>e.g. stun:turn.example.in:3478</summary>
    public string[] StunUrls { get; set; } = [];

    /// <summary>e.g. turn:turn.example.in:3478?transport=udp, turn:…?transport=tcp, turns:turn.example.in:443?transport=tcp</summary>
    public string[] TurnUrls { get; set; } = [];

    /// <summary>
    /// Lifetime of the TURN credentials. Short, so a credential copied out of a browser is soon useless; the call
    /// screen fetches fresh ones before these expire.
    /// </summary>
    [Range(1, 10)]
    public int CredentialMinutes { get; set; } = 10;
}
