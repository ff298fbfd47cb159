namespace Telemed.AbdmSimulator;

/// <summary>The simulator's settings (section <c>Simulator</c>), all with working defaults for the demo.</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>The client id Telemed signs in to the gateway with (what NHA issues to a sandbox integrator).</summary>
    public string ClientId { get; set; } = "SBX_TELEMED";

    public string ClientSecret { get; set; } = "telemed-sandbox-secret";

    /// <summary>The consent manager this gateway fronts, expected in X-CM-ID.</summary>
    public string CmId { get; set; } = "sbx";

    /// <summary>The bridge URL registered for the client: where the gateway posts callbacks (Telemed's public address).</summary>
    public string? BridgeUrl { get; set; }

    /// <summary>Lifetime of a gateway session token (ABDM's is 600 seconds).</summary>
    public int SessionSeconds { get; set; } = 600;

    /// <summary>Lifetime of a user token (X-token) from a login or an enrolment (ABDM's is 1800 seconds).</summary>
    public int UserTokenSeconds { get; set; } = 1800;

    /// <summary>How long an OTP transaction lives (ABDM: "OTP will be valid for 10 minutes only").</summary>
    public int TransactionSeconds { get; set; } = 600;

    /// <summary>Wrong OTPs a transaction takes before it is locked (ABDM does not publish its number).</summary>
    public int OtpAttempts { get; set; } = 5;

    /// <summary>Seed the demo cast's ABHAs, Aadhaar records, HPR and HFR entries.</summary>
    public bool SeedDemo { get; set; } = true;

    /// <summary>How long the gateway waits before posting an asynchronous callback (on-generate-token).</summary>
    public int CallbackDelayMilliseconds { get; set; }
}
