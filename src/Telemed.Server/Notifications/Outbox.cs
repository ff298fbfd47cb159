using Marten;
using Microsoft.AspNetCore.Http.HttpResults;
using Telemed.Domain.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Notifications;

/// <summary>
/// A message waiting for the SMS gateway. Telemed writes messages here in the same transaction as the change
/// that caused them, so none is lost or sent for a change that did not happen. With no gateway configured
/// (the demo, tests), admins read the outbox instead.
/// </summary>
public sealed record OutboxMessage(Guid Id, string Channel, string To, string Body, DateTimeOffset CreatedAt);

public static class Outbox
{
    public static void QueueSms(this IDocumentSession session, string to, string body, DateTimeOffset now) =>
        session.Store(new OutboxMessage(Ids.New(), "sms", to, body, now));

    public static void MapOutbox(this RouteGroupBuilder admin) =>
        admin.MapGet("/outbox", List)
            .WithSummary("Messages queued for delivery, newest first. Where no SMS gateway is configured, this is how one-time codes are read.");

    private static async Task<Results<Ok<IReadOnlyList<OutboxMessage>>, ProblemHttpResult>> List(
        string? to, IQuerySession session, CancellationToken cancellationToken)
    {
        var query = session.Query<OutboxMessage>().AsQueryable();
        if (!string.IsNullOrWhiteSpace(to))
        {
            var mobile = MobileNumber.Parse(to);
            if (!mobile.IsSuccess)
            {
                return Problems.Invalid("to", mobile.Error.Message);
            }
            query = query.Where(message => message.To == mobile.Value.Value);
        }
        return TypedResults.Ok(await query.OrderByDescending(message => message.CreatedAt).Take(50).ToListAsync(cancellationToken));
    }
}
