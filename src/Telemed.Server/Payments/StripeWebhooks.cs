using Marten;
using JasperFx;
using Microsoft.Extensions.Options;
using Stripe;
using Telemed.Domain.Payments;
using Telemed.Domain.Queue;
using Telemed.Server.Infrastructure;
using Telemed.Server.Messages;
using Telemed.Server.Queue;

namespace Telemed.Server.Payments;

/// <summary>A Stripe event already handled: its id is the document id, so a second delivery finds it (or fails to insert it).</summary>
public sealed record ProcessedStripeEvent(string Id, string Type, DateTimeOffset ProcessedAt);

/// <summary>
/// Stripe's webhook. The signature is checked against each configured secret (rotation), with a 300-second tolerance;
/// each event id is handled at most once, in the same transaction as what it changes; state only moves forward, so late
/// or repeated events change nothing; event types Telemed does not use are acknowledged and ignored.
/// </summary>
public static class StripeWebhooks
{
    private const int MaxBodyBytes = 512 * 1024;

    public static async Task<IResult> Receive(
        HttpContext http, IDocumentStore store, QueueService queue, PaymentSweeper sweeper, PaymentMessages messages, IOptions<PaymentOptions> options,
        TimeProvider time, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return Problems.Invalid("body", "A Stripe event is never this large.");
        }
        using var reader = new StreamReader(http.Request.Body);
        var json = await reader.ReadToEndAsync(cancellationToken);
        var signature = http.Request.Headers["Stripe-Signature"].ToString();
        var now = time.GetUtcNow();
        if (Verify(json, signature, options.Value.WebhookSecrets, now) is not { } stripeEvent)
        {
            return TypedResults.Problem("The Stripe-Signature header does not match this payload, or it is older than 300 seconds.",
                statusCode: StatusCodes.Status400BadRequest, title: "Invalid signature");
        }
        await using var session = store.LightweightSession();
        if (await session.LoadAsync<ProcessedStripeEvent>(stripeEvent.Id, cancellationToken) is not null)
        {
            return TypedResults.Ok(new { Received = true, Duplicate = true });
        }
        var processed = new ProcessedStripeEvent(stripeEvent.Id, stripeEvent.Type, now);
        var handled = stripeEvent.Type switch
        {
            EventTypes.PaymentIntentSucceeded => await Succeeded(stripeEvent, processed, session, queue, sweeper, messages, now, cancellationToken),
            EventTypes.PaymentIntentPaymentFailed => await Failed(stripeEvent, processed, session, now, cancellationToken),
            EventTypes.ChargeRefunded => await Refunded(stripeEvent, processed, session, messages, now, cancellationToken),
            _ => false,
        };
        if (!handled)
        {
            session.Insert(processed);
            try
            {
                await session.SaveChangesAsync(cancellationToken);
            }
            catch (DocumentAlreadyExistsException)
            {
                // The same event, delivered twice at the same moment: the other delivery handled it.
            }
        }
        return TypedResults.Ok(new { Received = true, Duplicate = false });
    }

    private static Event? Verify(string json, string signature, IReadOnlyList<string> secrets, DateTimeOffset now)
    {
        foreach (var secret in secrets)
        {
            try
            {
                return EventUtility.ConstructEvent(json, signature, secret, tolerance: 300, utcNow: now.ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
            }
            catch (StripeException)
            {
                // Not this secret; during a rotation the next one may match.
            }
        }
        return null;
    }

    /// <summary>
    /// The fee arrived: the token joins the line (in the queue's transaction) and the patient gets a receipt; if its hold
    /// had lapsed, the fee is refunded.
    /// </summary>
    private static async Task<bool> Succeeded(
        Event stripeEvent, ProcessedStripeEvent processed, IDocumentSession session, QueueService queue, PaymentSweeper sweeper, PaymentMessages messages,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (stripeEvent.Data.Object is not PaymentIntent intent || await Find(session, intent.Id, cancellationToken) is not { } payment)
        {
            return false;
        }
        var events = PaymentDecisions.Succeed(payment, stripeEvent.Id, now).Value;
        if (events.Count == 0)
        {
            return false;
        }
        var patient = await PatientMessages.Addressee(session, payment.PatientId, cancellationToken);
        QueueOutcome outcome;
        try
        {
            outcome = await queue.ExecuteAsSystem(payment.SessionId, new MarkPaid(payment.Token, payment.Id), cancellationToken, (queueSession, _) =>
            {
                PaymentService.Append(queueSession, payment, events);
                messages.Receipt(queueSession, patient, payment, now);
                queueSession.Insert(processed);
            });
        }
        catch (DocumentAlreadyExistsException)
        {
            return true;
        }
        if (outcome.Succeeded && outcome.Events.Count > 0)
        {
            return true;
        }
        var paid = events.Aggregate(payment, Payment.Evolve);
        PaymentService.Append(session, payment, events);
        messages.Receipt(session, patient, payment, now);
        if (outcome.Error?.Code == QueueErrorCode.PaymentTooLate)
        {
            PaymentService.RequestRefund(session, paid, "The payment arrived after the held place was released.", null, now);
        }
        session.Insert(processed);
        await PaymentService.SaveIgnoringRace(session, cancellationToken);
        sweeper.Wake();
        return true;
    }

    private static async Task<bool> Failed(Event stripeEvent, ProcessedStripeEvent processed, IDocumentSession session, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (stripeEvent.Data.Object is not PaymentIntent intent || await Find(session, intent.Id, cancellationToken) is not { } payment)
        {
            return false;
        }
        // Only Stripe's decline code travels on: its message may quote the card holder.
        PaymentService.Append(session, payment, PaymentDecisions.Fail(payment, stripeEvent.Id, intent.LastPaymentError?.DeclineCode ?? intent.LastPaymentError?.Code, now).Value);
        session.Insert(processed);
        await PaymentService.SaveIgnoringRace(session, cancellationToken);
        return true;
    }

    private static async Task<bool> Refunded(
        Event stripeEvent, ProcessedStripeEvent processed, IDocumentSession session, PaymentMessages messages, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (stripeEvent.Data.Object is not Charge charge || charge.PaymentIntentId is null || await Find(session, charge.PaymentIntentId, cancellationToken) is not { } payment)
        {
            return false;
        }
        var events = PaymentDecisions.Refunded(payment, stripeEvent.Id, charge.AmountRefunded, now).Value;
        PaymentService.Append(session, payment, events);
        if (events.Count > 0)
        {
            messages.Refund(session, await PatientMessages.Addressee(session, payment.PatientId, cancellationToken), payment, charge.AmountRefunded);
        }
        session.Insert(processed);
        await PaymentService.SaveIgnoringRace(session, cancellationToken);
        return true;
    }

    private static Task<Payment?> Find(IQuerySession session, string intentId, CancellationToken cancellationToken) =>
        session.Query<Payment>().FirstOrDefaultAsync(p => p.PaymentIntentId == intentId, cancellationToken);
}
