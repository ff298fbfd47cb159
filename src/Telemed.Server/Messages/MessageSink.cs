using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http.HttpResults;
using Telemed.Domain.Messages;

namespace Telemed.Server.Messages;

public sealed record SunkMessage(Guid Id, MessageChannel Channel, string To, string Template, string? Subject, string Text, DateTimeOffset At);

/// <summary>
/// Development only (start-up refuses it in Production): messages are "delivered" to memory, newest first, and listed at
/// GET /api/dev/messages so someone trying Telemed with ./run.sh can read their sign-in code. Nothing is written to logs.
/// </summary>
public sealed class MessageSink(TimeProvider time) : IMessageProvider
{
    private const int Kept = 500;
    private readonly ConcurrentQueue<SunkMessage> messages = new();

    public Task<HandOver> Send(OutgoingMessage message, ComposedMessage composed, CancellationToken cancellationToken)
    {
        messages.Enqueue(new SunkMessage(message.Id, message.Channel, message.To, message.Template, composed.Subject, composed.Text, time.GetUtcNow()));
        while (messages.Count > Kept && messages.TryDequeue(out _))
        {
        }
        return Task.FromResult(new HandOver(AttemptOutcome.Accepted, $"sink-{message.Id:N}"));
    }

    public static void Map(IEndpointRouteBuilder app) =>
        app.MapGet("/api/dev/messages", (string? to, MessageSink sink) => TypedResults.Ok(sink.List(to)))
            .AllowAnonymous()
            .WithTags("Development")
            .WithSummary("Development sink: messages this node would have sent, newest first (filter by recipient with ?to=). Absent in Production.");

    private List<SunkMessage> List(string? to)
    {
        var wanted = to is null ? null
            : Telemed.Domain.Identity.MobileNumber.Parse(to) is { IsSuccess: true } mobile ? mobile.Value.Value : to.Trim().ToLowerInvariant();
        return messages.Reverse().Where(m => wanted is null || m.To == wanted).Take(50).ToList();
    }
}
