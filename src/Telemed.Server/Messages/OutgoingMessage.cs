using Telemed.Domain.Messages;

namespace Telemed.Server.Messages;

/// <summary>A value filled in only when the message is handed over, derived from the message key and never stored.</summary>
public enum SecretKind
{
    SignInCode,
    ResetLink,
}

/// <summary>Which variable is secret, of what kind, and the id it is derived from.</summary>
public sealed record SecretVariable(string Name, SecretKind Kind, Guid Id);

/// <summary>
/// A message on its way, written in the same transaction as the change that causes it. It holds the template, language
/// and variables, never the composed text; a secret variable (a code, a reset link) is held only as the id it is derived
/// from when the message is handed over.
/// </summary>
public sealed record OutgoingMessage(
    Guid Id,
    MessageChannel Channel,
    string To,
    string Template,
    string Language,
    IReadOnlyDictionary<string, string> Variables,
    SecretVariable? Secret,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? ExpiresAt,
    DeliveryState State = DeliveryState.Pending,
    int Attempts = 0,
    int KeyGeneration = 0,
    string? ProviderId = null,
    string? LastError = null,
    DateTimeOffset? LastAttemptAt = null)
{
    /// <summary>The provider's idempotency key: the same for every retry of an attempt whose outcome is unknown.</summary>
    public string IdempotencyKey => KeyGeneration == 0 ? Id.ToString("N") : $"{Id:N}-{KeyGeneration}";
}

/// <summary>What admins see of a message: never its text or variables, and the recipient masked.</summary>
public sealed record DeliveryStatusView(
    Guid Id,
    MessageChannel Channel,
    string To,
    string Template,
    string Language,
    DeliveryState State,
    int Attempts,
    string? ProviderId,
    string? LastError,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? LastAttemptAt)
{
    public static DeliveryStatusView Of(OutgoingMessage message) => new(
        message.Id, message.Channel, Mask(message.To), message.Template, message.Language, message.State, message.Attempts, message.ProviderId,
        message.LastError, message.CreatedAt, message.DueAt, message.LastAttemptAt);

    /// <summary><c>+91******3210</c>, <c>a***@example.in</c>: enough to tell messages apart, not to reach anyone.</summary>
    public static string Mask(string to)
    {
        var at = to.IndexOf('@', StringComparison.Ordinal);
        return at >= 0
            ? $"{to[..Math.Min(1, at)]}***{to[at..]}"
            : $"{to[..Math.Min(3, to.Length)]}{new string('*', Math.Max(0, to.Length - 7))}{to[Math.Max(3, to.Length - 4)..]}";
    }
}
