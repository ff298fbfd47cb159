using Telemed.Domain.Messages;

namespace Telemed.Server.Messages;

/// <summary>What a provider said to one hand-over: its outcome, its id for the message, and (on failure) a short reason without content.</summary>
public sealed record HandOver(AttemptOutcome Outcome, string? ProviderId = null, string? Error = null);

/// <summary>Hands a composed message to whoever delivers it (an SMS gateway, an SMTP server, the development sink).</summary>
public interface IMessageProvider
{
    Task<HandOver> Send(OutgoingMessage message, ComposedMessage composed, CancellationToken cancellationToken);
}
