using System.Security.Claims;
using JasperFx.Events;
using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain.Payments;
using Telemed.Domain.Queue;
using Telemed.Server.Infrastructure;
using Telemed.Server.Queue;

namespace Telemed.Server.Payments;

/// <summary>
/// What the patient's app needs to take the payment: the PaymentIntent's client secret, how long the place is held, and
/// where to load Stripe.js from with which publishable key (from configuration, so a deployment or a test can point elsewhere).
/// </summary>
public sealed record PaymentView(
    Guid PaymentId, PaymentStatus Status, long AmountPaise, string Currency, DateTimeOffset HeldUntil, string? ClientSecret, string? PublishableKey,
    string ScriptUrl, string? LastFailure, string? RefundReason)
{
    public static PaymentView Of(Payment payment, string? clientSecret, PaymentOptions options) => new(payment.Id, payment.Status, payment.AmountPaise, "inr",
        payment.HeldUntil, payment.Status == PaymentStatus.AwaitingPayment ? clientSecret : null, options.StripePublishableKey, options.StripeJsUrl,
        payment.LastFailure, payment.RefundReason);
}

/// <summary>
/// Paid check-ins (the queue's <see cref="ICheckInFees"/>) and refunds. A paid check-in first creates the Stripe PaymentIntent (idempotency key derived from the
/// check-in), then records the token and the payment in one transaction: if Stripe fails nothing is recorded, and a retry
/// of the same check-in finds the same PaymentIntent.
/// </summary>
public sealed class PaymentService(IDocumentStore store, QueueService queue, StripeGateway stripe, IOptions<PaymentOptions> options, TimeProvider time)
    : ICheckInFees
{
    private PaymentOptions Settings => options.Value;

    public bool Enabled => Settings.Enabled;

    public async Task<CheckInOutcome> CheckIn(
        ClaimsPrincipal user, OpdSession state, CheckIn command, long? expectedVersion, Action<IDocumentSession, OpdSession> alsoOnChange,
        CancellationToken cancellationToken)
    {
        var sessionId = state.Id;
        var now = time.GetUtcNow();
        if (state.Entries.LastOrDefault(e => e.PatientId == command.PatientId && e.IsActive) is { PaymentId: { } heldPayment })
        {
            // A repeated check-in: the same token, and the same payment to complete.
            return new CheckInOutcome(new QueueOutcome(QueueFailure.None, state, []), await View(heldPayment, cancellationToken));
        }
        if (!Settings.Enabled)
        {
            return new CheckInOutcome(Refused(state, QueueErrorCode.PaymentRequired, "This session charges a fee, but payments are not configured on this server."), null);
        }
        var attempt = state.Entries.Count(e => e.PatientId == command.PatientId);
        var paymentId = Ids.NameBased(sessionId, $"check-in/{command.PatientId}/{attempt}");
        var precheck = QueueDecisions.CheckIn(state, command.PatientId, command.Patient, command.Complaint, command.Attachments, now, paymentId,
            command.AccompaniedBy);
        if (!precheck.IsSuccess)
        {
            return new CheckInOutcome(Refused(state, precheck.Error.Code, precheck.Error.Message), null);
        }
        // The token Stripe's metadata names is the one expected now; the payment records the one the queue actually gives.
        var intent = await stripe.CreateIntent(paymentId, sessionId, state.Entries.Count + 1, command.PatientId, state.FeePaise,
            $"telemed-check-in-{paymentId}", cancellationToken);
        var heldUntil = now.AddMinutes(Settings.HoldMinutes);
        var outcome = await queue.Execute(user, sessionId, command with { PaymentId = paymentId }, expectedVersion, cancellationToken, (session, after) =>
        {
            alsoOnChange(session, after);
            var token = after.Entries.Last(e => e.PaymentId == paymentId).Token;
            var requested = new PaymentRequested(paymentId, sessionId, token, command.PatientId, state.FeePaise, intent.Id, heldUntil, now);
            session.Events.StartStream<Payment>(paymentId, requested);
            session.Store(Payment.Evolve(null, requested));
        });
        if (!outcome.Succeeded)
        {
            await TryCancel(intent.Id);
            return new CheckInOutcome(outcome, null);
        }
        return new CheckInOutcome(outcome, await View(paymentId, cancellationToken, intent.ClientSecret));
    }

    public async Task<PaymentView?> View(Guid paymentId, CancellationToken cancellationToken, string? clientSecret = null)
    {
        await using var session = store.QuerySession();
        var payment = await session.LoadAsync<Payment>(paymentId, cancellationToken);
        if (payment is null)
        {
            return null;
        }
        if (clientSecret is null && payment.Status == PaymentStatus.AwaitingPayment)
        {
            clientSecret = (await stripe.GetIntent(payment.PaymentIntentId, cancellationToken)).ClientSecret;
        }
        return PaymentView.Of(payment, clientSecret, Settings);
    }

    /// <summary>Records a refund to make (the sweeper sends it to Stripe, retrying until Stripe accepts it).</summary>
    public static void RequestRefund(IDocumentSession session, Payment payment, string reason, Guid? by, DateTimeOffset now) =>
        Append(session, payment, PaymentDecisions.RequestRefund(payment, reason, by, now).Value);

    public static void Append(IDocumentSession session, Payment payment, IReadOnlyList<IPaymentEvent> events)
    {
        if (events.Count == 0)
        {
            return;
        }
        var next = events.Aggregate(payment, Payment.Evolve);
        session.Events.Append(payment.Id, next.Version, [.. events]);
        session.Store(next);
    }

    /// <summary>Sends recorded refunds to Stripe; the idempotency key makes a repeat after a time-out harmless.</summary>
    public async Task SubmitRefunds(CancellationToken cancellationToken)
    {
        await using var query = store.QuerySession();
        var pending = await query.Query<Payment>().Where(p => p.Status == PaymentStatus.RefundRequested && p.RefundId == null).Take(100).ToListAsync(cancellationToken);
        foreach (var payment in pending)
        {
            string refundId;
            try
            {
                refundId = await stripe.Refund(payment.PaymentIntentId, $"telemed-refund-{payment.Id}", cancellationToken);
            }
            catch (PaymentGatewayUnavailableException)
            {
                continue;
            }
            await using var session = store.LightweightSession();
            var current = await session.LoadAsync<Payment>(payment.Id, cancellationToken);
            Append(session, current!, PaymentDecisions.Submitted(current!, refundId, time.GetUtcNow()).Value);
            await SaveIgnoringRace(session, cancellationToken);
        }
    }

    /// <summary>Releases held places whose payment did not arrive in time, and stops their PaymentIntents.</summary>
    public async Task ExpireHolds(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var query = store.QuerySession();
        var lapsed = await query.Query<Payment>().Where(p => p.Status == PaymentStatus.AwaitingPayment && p.HeldUntil <= now).Take(500).ToListAsync(cancellationToken);
        foreach (var sessionId in lapsed.Select(p => p.SessionId).Distinct())
        {
            await queue.ExecuteAsSystem(sessionId, new ExpirePaymentHolds(TimeSpan.FromMinutes(Settings.HoldMinutes)), cancellationToken);
        }
        foreach (var payment in lapsed)
        {
            await TryCancel(payment.PaymentIntentId);
        }
    }

    private async Task TryCancel(string intentId)
    {
        try
        {
            await stripe.CancelIntent(intentId, CancellationToken.None);
        }
        catch (PaymentGatewayUnavailableException)
        {
            // A payment that still arrives after the hold lapsed is refunded when its webhook comes in.
        }
    }

    private static QueueOutcome Refused(OpdSession state, QueueErrorCode code, string message) =>
        new(QueueFailure.Refused, state, [], new QueueError(code, message));

    public static async Task SaveIgnoringRace(IDocumentSession session, CancellationToken cancellationToken)
    {
        try
        {
            await session.SaveChangesAsync(cancellationToken);
        }
        catch (Exception e) when (e is EventStreamUnexpectedMaxEventIdException or JasperFx.DocumentAlreadyExistsException)
        {
            // Another node (or a second delivery) recorded the same fact at the same moment; the next sweep or webhook sees the current state.
        }
    }
}
