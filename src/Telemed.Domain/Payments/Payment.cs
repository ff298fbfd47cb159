namespace Telemed.Domain.Payments;

public interface IPaymentEvent
{
    Guid PaymentId { get; }

    DateTimeOffset At { get; }
}

/// <summary>A paid check-in asked the patient to pay: the Stripe PaymentIntent that collects the fee.</summary>
public sealed record PaymentRequested(
    Guid PaymentId, Guid SessionId, int Token, Guid PatientId, long AmountPaise, string PaymentIntentId, DateTimeOffset HeldUntil, DateTimeOffset At)
    : IPaymentEvent;

public sealed record PaymentSucceeded(Guid PaymentId, string StripeEventId, DateTimeOffset At) : IPaymentEvent;

/// <summary>The held place lapsed before the payment arrived; a payment that still arrives is refunded.</summary>
public sealed record PaymentHoldLapsed(Guid PaymentId, DateTimeOffset At) : IPaymentEvent;

public sealed record PaymentFailed(Guid PaymentId, string StripeEventId, string? Reason, DateTimeOffset At) : IPaymentEvent;

public sealed record RefundRequested(Guid PaymentId, string Reason, Guid? By, DateTimeOffset At) : IPaymentEvent;

/// <summary>Stripe accepted the refund (it completes asynchronously; <see cref="PaymentRefunded"/> follows).</summary>
public sealed record RefundSubmitted(Guid PaymentId, string RefundId, DateTimeOffset At) : IPaymentEvent;

public sealed record PaymentRefunded(Guid PaymentId, string StripeEventId, long AmountRefundedPaise, DateTimeOffset At) : IPaymentEvent;

public enum PaymentStatus
{
    AwaitingPayment,
    Lapsed,
    Succeeded,
    RefundRequested,
    Refunded,
}

/// <summary>
/// One fee: requested at check-in, then paid, perhaps refunded. Stripe may deliver its events late, twice or out of
/// order; state only moves forward (a failure after a success, or a success after a refund, changes nothing).
/// </summary>
public sealed record Payment(
    Guid Id,
    long Version,
    Guid SessionId,
    int Token,
    Guid PatientId,
    long AmountPaise,
    string PaymentIntentId,
    DateTimeOffset RequestedAt,
    DateTimeOffset HeldUntil,
    PaymentStatus Status,
    DateTimeOffset? PaidAt,
    string? LastFailure,
    string? RefundReason,
    string? RefundId,
    long RefundedPaise)
{
    public static Payment Evolve(Payment? state, IPaymentEvent @event) => @event switch
    {
        PaymentRequested e => new Payment(e.PaymentId, 1, e.SessionId, e.Token, e.PatientId, e.AmountPaise, e.PaymentIntentId, e.At, e.HeldUntil,
            PaymentStatus.AwaitingPayment, null, null, null, null, 0),
        _ when state is null => throw new InvalidOperationException($"{@event.GetType().Name} before PaymentRequested on {@event.PaymentId}."),
        _ => Apply(state, @event) with { Version = state.Version + 1 },
    };

    private static Payment Apply(Payment state, IPaymentEvent @event) => @event switch
    {
        PaymentSucceeded e => state with { Status = PaymentStatus.Succeeded, PaidAt = e.At },
        PaymentFailed e => state with { LastFailure = e.Reason ?? "declined" },
        PaymentHoldLapsed => state with { Status = PaymentStatus.Lapsed },
        RefundRequested e => state with { Status = PaymentStatus.RefundRequested, RefundReason = e.Reason },
        RefundSubmitted e => state with { RefundId = e.RefundId },
        PaymentRefunded e => state with { Status = PaymentStatus.Refunded, RefundedPaise = e.AmountRefundedPaise },
        _ => throw new InvalidOperationException($"Unknown payment event {@event.GetType().Name}."),
    };
}

public sealed record PaymentError(string Code, string Message);

public static class PaymentDecisions
{
    private static Result<IReadOnlyList<IPaymentEvent>, PaymentError> Events(params IPaymentEvent[] events) => events;

    private static Result<IReadOnlyList<IPaymentEvent>, PaymentError> Nothing() => Array.Empty<IPaymentEvent>();

    /// <summary>Money received is recorded even after the hold lapsed (it must then be refunded).</summary>
    public static Result<IReadOnlyList<IPaymentEvent>, PaymentError> Succeed(Payment payment, string stripeEventId, DateTimeOffset now) =>
        payment.Status is PaymentStatus.AwaitingPayment or PaymentStatus.Lapsed ? Events(new PaymentSucceeded(payment.Id, stripeEventId, now)) : Nothing();

    public static Result<IReadOnlyList<IPaymentEvent>, PaymentError> Lapse(Payment payment, DateTimeOffset now) =>
        payment.Status == PaymentStatus.AwaitingPayment ? Events(new PaymentHoldLapsed(payment.Id, now)) : Nothing();

    /// <summary>A decline is noted while the patient may still pay (they can retry with another card); after a success it is stale.</summary>
    public static Result<IReadOnlyList<IPaymentEvent>, PaymentError> Fail(Payment payment, string stripeEventId, string? reason, DateTimeOffset now) =>
        payment.Status == PaymentStatus.AwaitingPayment ? Events(new PaymentFailed(payment.Id, stripeEventId, Trim(reason), now)) : Nothing();

    /// <summary>Only a received fee is refunded, once; <paramref name="by"/> is null for automatic refunds.</summary>
    public static Result<IReadOnlyList<IPaymentEvent>, PaymentError> RequestRefund(Payment payment, string? reason, Guid? by, DateTimeOffset now)
    {
        var why = Trim(reason) ?? "";
        if (why.Length < 3)
        {
            return new PaymentError("ReasonRequired", "Give the reason for the refund (it is shown to the patient).");
        }
        return payment.Status switch
        {
            PaymentStatus.Succeeded => Events(new RefundRequested(payment.Id, why, by, now)),
            PaymentStatus.AwaitingPayment or PaymentStatus.Lapsed => new PaymentError("NotPaid", "Nothing was paid yet, so there is nothing to refund."),
            _ => Nothing(),
        };
    }

    public static Result<IReadOnlyList<IPaymentEvent>, PaymentError> Submitted(Payment payment, string refundId, DateTimeOffset now) =>
        payment.Status == PaymentStatus.RefundRequested && payment.RefundId is null ? Events(new RefundSubmitted(payment.Id, refundId, now)) : Nothing();

    /// <summary>Stripe says the charge was refunded (by us, or from its dashboard): recorded once, whatever came before.</summary>
    public static Result<IReadOnlyList<IPaymentEvent>, PaymentError> Refunded(Payment payment, string stripeEventId, long amountRefundedPaise, DateTimeOffset now) =>
        payment.Status is PaymentStatus.Succeeded or PaymentStatus.RefundRequested
            ? Events(new PaymentRefunded(payment.Id, stripeEventId, amountRefundedPaise, now))
            : Nothing();

    private static string? Trim(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim()[..Math.Min(text.Trim().Length, 300)];
}
