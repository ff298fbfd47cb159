using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using Telemed.Domain.Messages;

namespace Telemed.Server.Messages;

public sealed class MessageOptions
{
    public const string Section = "Messages";

    /// <summary>The key sign-in codes, reset links and receipt references are derived from (32 random bytes, made on first start).</summary>
    [Required]
    public string SecretPath { get; set; } = ".data/keys/messages.key";

    /// <summary>
    /// Where people reach Telemed, for links in messages. SMS carry it as one DLT variable, so it is at most 30
    /// characters (e.g. <c>https://telemed.example.in</c>).
    /// </summary>
    [Required, Url, MaxLength(SiteMaxLength, ErrorMessage = "Messages:PublicUrl is sent in SMS as one DLT variable, so it may be at most 30 characters.")]
    public string PublicUrl { get; set; } = "http://127.0.0.1:5080";

    public const int SiteMaxLength = 30;

    /// <summary>The public address without a trailing slash, as messages print it.</summary>
    public string Site => PublicUrl.TrimEnd('/');

    /// <summary>"N ahead of you" is sent when a patient comes within this many places of the doctor.</summary>
    [Range(1, 50)]
    public int PlacesAheadAlert { get; set; } = PositionAlerts.DefaultThreshold;

    /// <summary>How often each node looks for due messages when nothing woke it (a message queued on this node wakes it at once).</summary>
    [Range(50, 60_000)]
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>Messages one node claims at a time; it holds their rows locked while it hands them over.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 100;

    /// <summary>Hand-overs running at once on one node.</summary>
    [Range(1, 256)]
    public int Concurrency { get; set; } = 16;

    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    [Range(1, 3600)]
    public int FirstRetrySeconds { get; set; } = 15;

    [Range(1, 24 * 60)]
    public int MaxRetryMinutes { get; set; } = 60;

    public DeliveryPolicy Policy => new(MaxAttempts, TimeSpan.FromSeconds(FirstRetrySeconds), TimeSpan.FromMinutes(MaxRetryMinutes));
}

public enum SmsProvider
{
    /// <summary>Fast2SMS's DLT route (an Indian transactional gateway).</summary>
    Fast2Sms,

    /// <summary>The development sink: messages are kept in memory and listed at /api/dev/messages. Refused in Production.</summary>
    Sink,
}

public enum EmailProvider
{
    Smtp,
    Sink,
}

public sealed class SmsOptions
{
    public const string Section = "Sms";

    public SmsProvider? Provider { get; set; }

    [Url]
    public string BaseUrl { get; set; } = "https://www.fast2sms.com/";

    public string? ApiKey { get; set; }

    /// <summary>The sender header registered on the DLT portal (6 letters for transactional SMS).</summary>
    public string? SenderId { get; set; }

    /// <summary>The principal entity id registered on the DLT portal.</summary>
    public string? EntityId { get; set; }

    /// <summary>DLT content template ids, per template and language: <c>DltTemplateIds:SignInCode:hi</c>.</summary>
    public Dictionary<string, Dictionary<string, string>> DltTemplateIds { get; set; } = [];

    /// <summary>How long one request to the gateway may take before it is given up on (and retried with the same key).</summary>
    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 10;

    public string? DltTemplateId(string template, string language) =>
        DltTemplateIds.TryGetValue(template, out var languages) && languages.TryGetValue(language, out var id) ? id : null;
}

public enum SmtpSecurity
{
    /// <summary>Plain connection upgraded with STARTTLS, which must succeed (submission port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (port 465).</summary>
    SslOnConnect,

    /// <summary>No TLS: only for a relay on the same host or a test server on loopback.</summary>
    None,
}

public sealed class EmailOptions
{
    public const string Section = "Email";

    public EmailProvider? Provider { get; set; }

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    public string? UserName { get; set; }

    public string? Password { get; set; }

    /// <summary>The sender, e.g. <c>Telemed &lt;no-reply@example.in&gt;</c>.</summary>
    public string From { get; set; } = "Telemed <no-reply@telemed.local>";

    [Range(1, 120)]
    public int TimeoutSeconds { get; set; } = 20;
}

/// <summary>Checks at start-up what data annotations cannot: the chosen providers have what they need, and no sink in Production.</summary>
public sealed class ProviderValidation(IHostEnvironment environment) : IValidateOptions<SmsOptions>, IValidateOptions<EmailOptions>
{
    private const string SinkInProduction =
        "The development message sink is configured in Production, where it would keep patients' codes in memory and show them to anyone.";

    public ValidateOptionsResult Validate(string? name, SmsOptions sms)
    {
        var failures = new List<string>();
        switch (sms.Provider)
        {
            case null:
                failures.Add("Sms:Provider must be set: Fast2Sms (with its key, sender and DLT ids), or Sink outside Production.");
                break;
            case SmsProvider.Fast2Sms:
                if (string.IsNullOrWhiteSpace(sms.ApiKey))
                {
                    failures.Add("Sms:ApiKey is needed for Fast2Sms.");
                }
                if (sms.SenderId is not { Length: >= 3 and <= 6 } sender || !sender.All(char.IsAsciiLetterUpper))
                {
                    failures.Add("Sms:SenderId must be the DLT-registered header: 3 to 6 capital letters.");
                }
                if (sms.EntityId is not { Length: > 0 } entity || !entity.All(char.IsAsciiDigit))
                {
                    failures.Add("Sms:EntityId must be the DLT principal entity id (digits).");
                }
                foreach (var template in MessageCatalogue.All.Values.Where(t => t.Channel == MessageChannel.Sms))
                {
                    foreach (var language in template.Texts.Keys.Where(language => sms.DltTemplateId(template.Id, language) is not { Length: > 0 } id || !id.All(char.IsAsciiDigit)))
                    {
                        failures.Add($"Sms:DltTemplateIds:{template.Id}:{language} must be the DLT template id (digits) of: {template.DltText(language)}");
                    }
                }
                break;
        }
        if (environment.IsProduction() && sms.Provider == SmsProvider.Sink)
        {
            failures.Add(SinkInProduction + " Configure Fast2Sms.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public ValidateOptionsResult Validate(string? name, EmailOptions email)
    {
        var failures = new List<string>();
        if (email.Provider is null)
        {
            failures.Add("Email:Provider must be set: Smtp (with its host), or Sink outside Production.");
        }
        if (email.Provider == EmailProvider.Smtp && string.IsNullOrWhiteSpace(email.Host))
        {
            failures.Add("Email:Host is needed for Smtp.");
        }
        if (email.Provider == EmailProvider.Smtp && !MimeKit.MailboxAddress.TryParse(email.From, out _))
        {
            failures.Add("Email:From must be a mailbox, e.g. Telemed <no-reply@example.in>.");
        }
        if (environment.IsProduction() && email.Provider == EmailProvider.Sink)
        {
            failures.Add(SinkInProduction + " Configure Smtp.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
