using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Identity;
using Telemed.Domain.Messages;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Messages;

/// <summary>
/// Queues messages in the caller's unit of work, so a message is sent exactly when the change that causes it is saved.
/// Everything is checked here — template, language, recipient, variables, length — so a bad message is refused to the
/// caller and nothing half-made is queued.
/// </summary>
public sealed class Messenger(TimeProvider time, MessageSecrets secrets)
{
    /// <summary>A placeholder of the longest form of each secret, to check lengths without the secret itself.</summary>
    private static string Placeholder(SecretKind kind, int maxLength) => new('0', kind == SecretKind.SignInCode ? 6 : maxLength);

    public Result<Guid, Invalid> Queue(
        IDocumentSession session,
        MessageTemplate template,
        string to,
        string language,
        IReadOnlyDictionary<string, string> variables,
        SecretVariable? secret = null,
        DateTimeOffset? dueAt = null,
        DateTimeOffset? expiresAt = null,
        bool optedOut = false,
        MessageChannel? channel = null)
    {
        // An SMS template's text also goes by web push, to a device subscription.
        var via = channel ?? template.Channel;
        if (via != template.Channel && !(via == MessageChannel.Push && template.Channel == MessageChannel.Sms))
        {
            return new Invalid($"Template '{template.Id}' is written for {template.Channel}, not {via}.");
        }
        var recipient = Recipient(via, to);
        if (!recipient.IsSuccess)
        {
            return recipient.Error;
        }
        var check = new Dictionary<string, string>(variables, StringComparer.Ordinal);
        if (secret is not null)
        {
            if (template.Variables.FirstOrDefault(v => v.Name == secret.Name) is not { } declared)
            {
                return new Invalid($"Template '{template.Id}' has no variable '{secret.Name}'.");
            }
            check[secret.Name] = Placeholder(secret.Kind, declared.MaxLength);
        }
        var composed = MessageCatalogue.Compose(template, language, check);
        if (!composed.IsSuccess)
        {
            return composed.Error;
        }
        var now = time.GetUtcNow();
        var due = dueAt ?? now;
        var message = new OutgoingMessage(
            Ids.New(), via, recipient.Value, template.Id, language, variables, secret, now,
            template.Essential ? due : Delivery.OutsideQuietHours(due), expiresAt,
            Delivery.Suppressed(template, optedOut) ? DeliveryState.Suppressed : DeliveryState.Pending);
        session.Insert(message);
        return message.Id;
    }

    /// <summary>The text as the recipient gets it, secrets filled in; for the dispatcher only, at hand-over.</summary>
    public Result<ComposedMessage, Invalid> Compose(OutgoingMessage message, string publicUrl)
    {
        var template = MessageCatalogue.Find(message.Template);
        if (!template.IsSuccess)
        {
            return template.Error;
        }
        var variables = new Dictionary<string, string>(message.Variables, StringComparer.Ordinal);
        if (message.Secret is { } secret)
        {
            variables[secret.Name] = secret.Kind switch
            {
                SecretKind.SignInCode => secrets.SignInCode(secret.Id),
                SecretKind.ResetLink => $"{publicUrl.TrimEnd('/')}/reset-password?token={secrets.ResetToken(secret.Id)}",
                _ => throw new ArgumentOutOfRangeException(nameof(message), secret.Kind, "Unknown secret kind."),
            };
        }
        return MessageCatalogue.Compose(template.Value, message.Language, variables);
    }

    private static Result<string, Invalid> Recipient(MessageChannel channel, string to) => channel switch
    {
        MessageChannel.Sms => MobileNumber.Parse(to) is { IsSuccess: true } mobile ? mobile.Value.Value : MobileNumber.Parse(to).Error,
        MessageChannel.Email => PersonRules.Email(to),
        MessageChannel.Push => Guid.TryParseExact(to, "N", out _) ? to : new Invalid("A push message goes to a device subscription id."),
        _ => new Invalid($"Telemed cannot send {channel} messages."),
    };
}
