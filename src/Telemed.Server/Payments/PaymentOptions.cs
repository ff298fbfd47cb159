using System.ComponentModel.DataAnnotations;

namespace Telemed.Server.Payments;

public sealed class PaymentOptions
{
    public const string Section = "Payments";

    /// <summary>Stripe secret key. Unset: only free sessions can be opened.</summary>
    public string? StripeSecretKey { get; set; }

    /// <summary>Given to the browser to confirm the payment with Stripe.js.</summary>
    public string? StripePublishableKey { get; set; }

    /// <summary>
    /// Where the browser loads Stripe.js from (only when a patient has a fee to pay). Its origin, and the API's, are the
    /// only third-party sources the Content-Security-Policy admits.
    /// </summary>
    [Url]
    public string StripeJsUrl { get; set; } = "https://js.stripe.com/v3/";

    /// <summary>Another Stripe API address (a local fake in tests); unset means Stripe itself.</summary>
    [Url]
    public string? StripeApiBase { get; set; }

    /// <summary>Webhook signing secrets; during a rotation list the new one and the old one.</summary>
    public string[] WebhookSecrets { get; set; } = [];

    /// <summary>How long a paid check-in holds its place before the payment must have arrived.</summary>
    [Range(1, 24 * 60)]
    public int HoldMinutes { get; set; } = 15;

    [Range(1, 120)]
    public int StripeTimeoutSeconds { get; set; } = 10;

    /// <summary>How often lapsed holds are released and unsent refunds retried.</summary>
    [Range(1, 3600)]
    public int SweepSeconds { get; set; } = 15;

    public bool Enabled => !string.IsNullOrWhiteSpace(StripeSecretKey);

    /// <summary>The API Stripe.js talks to from the browser: the configured one (a local fake in tests) or Stripe's.</summary>
    public string BrowserApiOrigin => Origin(StripeApiBase ?? "https://api.stripe.com");

    public string ScriptOrigin => Origin(StripeJsUrl);

    private static string Origin(string url) => new Uri(url).GetLeftPart(UriPartial.Authority);
}
