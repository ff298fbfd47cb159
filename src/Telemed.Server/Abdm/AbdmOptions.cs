using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Telemed.Server.Abdm;

/// <summary>
/// Where ABDM is and how Telemed signs in to it. The defaults are the sandbox's addresses; without a client id ABDM
/// is off: ABHA verification and creation answer 503, Scan &amp; Share refuses, and HPR/HFR IDs are not checked.
/// </summary>
public sealed class AbdmOptions
{
    public const string Section = "Abdm";

    /// <summary>The gateway (HIE-CM): sessions, certificates, callbacks' answers.</summary>
    [Required, Url]
    public string GatewayUrl { get; set; } = "https://dev.abdm.gov.in";

    /// <summary>The ABHA service, up to and including its /abha/api (sandbox) or /api/abha (production) prefix.</summary>
    [Required, Url]
    public string AbhaUrl { get; set; } = "https://abhasbx.abdm.gov.in/abha/api";

    /// <summary>The NHPR (HPR and HFR), up to and including /v4/int.</summary>
    [Required, Url]
    public string RegistryUrl { get; set; } = "https://apihspsbx.abdm.gov.in/v4/int";

    public string? ClientId { get; set; }

    public string? ClientSecret { get; set; }

    /// <summary>The consent manager sent as X-CM-ID: <c>sbx</c> in the sandbox, <c>abdm</c> in production.</summary>
    [Required, RegularExpression("^[a-z]{2,10}$")]
    public string CmId { get; set; } = "sbx";

    /// <summary>The HIP id Telemed links patients' records under (its HFR id as registered for its bridge); unset, no link tokens are asked for.</summary>
    public string? HipId { get; set; }

    /// <summary>
    /// The HIU id Telemed asks for patients' records held elsewhere under (X-HIU-ID); unset, <see cref="HipId"/>: one HFR
    /// id registered for both roles.
    /// </summary>
    public string? HiuId { get; set; }

    /// <summary>Telemed's address as others reach it (the bridge URL): the start of the dataPushUrl HIPs push health information to.</summary>
    public string? PublicUrl { get; set; }

    /// <summary>Telemed's id as HIU: <see cref="HiuId"/>, else <see cref="HipId"/>.</summary>
    public string? HiuIdOrHipId => string.IsNullOrWhiteSpace(HiuId) ? HipId : HiuId;

    /// <summary>How long one attempt at an ABDM call may take before it is given up and retried.</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    /// <summary>Attempts at one call (the same REQUEST-ID each time) before ABDM is reported unavailable.</summary>
    [Range(1, 10)]
    public int Attempts { get; set; } = 3;

    /// <summary>How long to wait for the gateway's on-* callback to a request before giving up on it.</summary>
    [Range(1, 3600)]
    public int CallbackTimeoutSeconds { get; set; } = 60;

    /// <summary>A callback whose TIMESTAMP is further than this from now is refused (replays outside the window).</summary>
    [Range(10, 3600)]
    public int CallbackMaxAgeSeconds { get; set; } = 300;

    /// <summary>How long a patient has to enter the OTP of an ABHA verification or creation.</summary>
    [Range(1, 60)]
    public int JourneyMinutes { get; set; } = 10;

    /// <summary>How long the ABHA service's public certificate is used before it is fetched again.</summary>
    [Range(1, 168)]
    public int CertificateHours { get; set; } = 6;

    /// <summary>How often the linker looks for completed consultations to link to their patients' ABHA and for links due again.</summary>
    [Range(1, 3600)]
    public int LinkSweepSeconds { get; set; } = 10;

    /// <summary>The wait before the first retry of a care-context link ABDM did not take; each next wait doubles.</summary>
    [Range(1, 3600)]
    public int LinkRetrySeconds { get; set; } = 30;

    /// <summary>The longest wait between retries of a care-context link.</summary>
    [Range(1, 1440)]
    public int LinkRetryMaxMinutes { get; set; } = 60;

    /// <summary>How long the OTP of a link the patient starts in their PHR app stays good.</summary>
    [Range(1, 60)]
    public int LinkCodeMinutes { get; set; } = 10;

    public bool Configured => !string.IsNullOrWhiteSpace(ClientId);

    public Uri Gateway(string path) => Join(GatewayUrl, path);

    public Uri Abha(string path) => Join(AbhaUrl, path);

    public Uri Registry(string path) => Join(RegistryUrl, path);

    private static Uri Join(string root, string path) => new($"{root.TrimEnd('/')}/{path.TrimStart('/')}");
}

/// <summary>A client id needs its secret: start-up refuses one without the other.</summary>
public sealed class AbdmOptionsValidation : IValidateOptions<AbdmOptions>
{
    public ValidateOptionsResult Validate(string? name, AbdmOptions options) =>
        options.Configured && string.IsNullOrWhiteSpace(options.ClientSecret)
            ? ValidateOptionsResult.Fail("Abdm:ClientSecret is needed with Abdm:ClientId.")
            : ValidateOptionsResult.Success;
}
