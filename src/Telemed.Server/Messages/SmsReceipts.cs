using System.Text.Json.Serialization;
using Marten;
using Npgsql;
using Telemed.Domain.Messages;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Messages;

/// <summary>A delivery report as the gateway's webhook posts it (Fast2SMS Standard Webhook, JSON body; see docs/messages.md).</summary>
public sealed record SmsReceipt(
    [property: JsonPropertyName("request_id")] string? RequestId,
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("udf1")] string? Reference);

/// <summary>
/// Delivery receipts. The gateway's webhook carries no signature of its own, so each message goes out with a reference
/// that is its id and an HMAC under the message key (<c>udf1</c>): a receipt is believed only for a reference Telemed
/// made. State only moves forward (Sent → Delivered or Undelivered), so repeated or late receipts change nothing; the
/// message's row is locked first, so a receipt that overtakes the dispatcher's own record of the hand-over waits for it.
/// </summary>
public static class SmsReceipts
{
    public static async Task<IResult> Receive(
        SmsReceipt receipt, IDocumentStore store, NpgsqlDataSource dataSource, MessageSecrets secrets, CancellationToken cancellationToken)
    {
        if (secrets.ReceiptMessageId(receipt.Reference) is not { } messageId)
        {
            return TypedResults.Problem("The receipt's reference (udf1) is not one Telemed issued.", statusCode: StatusCodes.Status400BadRequest, title: "Invalid signature");
        }
        if (Outcome(receipt.Status) is not { } delivered)
        {
            // An intermediate status (queued, sent to the operator): nothing to record yet.
            return TypedResults.Ok(new { Received = true });
        }
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var session = store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction));
        var message = await MessageDispatcher.LoadLocked(session, messageId, cancellationToken);
        if (message is null)
        {
            return Problems.NotFound("There is no such message.");
        }
        if (Delivery.Receipt(message.State, delivered) is { } next)
        {
            session.Update(message with { State = next, ProviderId = message.ProviderId ?? receipt.RequestId });
            await session.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        return TypedResults.Ok(new { Received = true });
    }

    private static bool? Outcome(string? status) => status?.Trim().ToUpperInvariant() switch
    {
        "DELIVERED" or "DELIVRD" => true,
        "FAILED" or "UNDELIVERED" or "UNDELIV" or "REJECTED" or "EXPIRED" or "DND" => false,
        _ => null,
    };
}
