using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;
using Telemed.Domain.Messages;

namespace Telemed.Server.Messages;

/// <summary>
/// E-mail over SMTP with MailKit: STARTTLS that must succeed, or TLS from the first byte, and authentication when a user
/// name is set. The message id is the idempotency key's, so a retried hand-over is recognisably the same message.
/// </summary>
public sealed class SmtpMailer(IOptions<EmailOptions> options) : IMessageProvider
{
    public async Task<HandOver> Send(OutgoingMessage message, ComposedMessage composed, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var mail = new MimeMessage { Subject = composed.Subject ?? "Telemed", MessageId = $"{message.IdempotencyKey}@telemed", Body = new TextPart("plain") { Text = composed.Text } };
        mail.From.Add(MailboxAddress.Parse(settings.From));
        mail.To.Add(MailboxAddress.Parse(message.To));
        using var client = new SmtpClient { Timeout = settings.TimeoutSeconds * 1000 };
        try
        {
            var security = settings.Security switch
            {
                SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
                SmtpSecurity.None => SecureSocketOptions.None,
                _ => SecureSocketOptions.StartTls,
            };
            await client.ConnectAsync(settings.Host!, settings.Port, security, cancellationToken);
            if (!string.IsNullOrEmpty(settings.UserName))
            {
                await client.AuthenticateAsync(settings.UserName, settings.Password ?? "", cancellationToken);
            }
            await client.SendAsync(mail, cancellationToken);
            await client.DisconnectAsync(quit: true, cancellationToken);
            return new HandOver(AttemptOutcome.Accepted, mail.MessageId);
        }
        catch (SmtpCommandException e) when (e.StatusCode is SmtpStatusCode.MailboxUnavailable or SmtpStatusCode.MailboxNameNotAllowed or SmtpStatusCode.UserNotLocalTryAlternatePath)
        {
            return new HandOver(AttemptOutcome.Rejected, Error: $"SMTP {(int)e.StatusCode}");
        }
        catch (SmtpCommandException e)
        {
            return new HandOver(AttemptOutcome.Refused, Error: $"SMTP {(int)e.StatusCode}");
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or SmtpProtocolException or AuthenticationException or ServiceNotConnectedException
            || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The server may or may not have taken it; SMTP has no idempotency, so the retry is a second copy at worst.
            return new HandOver(AttemptOutcome.Unknown, Error: e.GetType().Name);
        }
    }
}
