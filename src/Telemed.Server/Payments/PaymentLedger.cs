using Marten;
using Telemed.Domain.Payments;
using Telemed.Domain.Queue;
using Telemed.Server.Queue;

namespace Telemed.Server.Payments;

/// <summary>
/// What the queue's events mean for payments, written in the queue's own transaction: a session the doctor cancels, a
/// consultation that could not be held, or a token its patient cancels refunds the fee; a lapsed hold closes its payment.
/// (No-shows and patients who left are not refunded automatically; an admin can.) Refunds are recorded here and
/// sent to Stripe by <see cref="PaymentSweeper"/>, so a Stripe outage delays a refund but never loses it.
/// </summary>
public sealed class PaymentLedger(PaymentSweeper sweeper) : IQueueLedger
{
    public async Task<QueueError?> Record(
        IDocumentSession session, OpdSession before, OpdSession after, IReadOnlyList<IQueueEvent> events, CancellationToken cancellationToken)
    {
        foreach (var @event in events)
        {
            switch (@event)
            {
                case SessionClosed closed:
                    foreach (var entry in after.Entries.Where(e => e.PaymentId is not null
                        && e.State is TokenState.Waiting or TokenState.Recalled or TokenState.Called or TokenState.Skipped))
                    {
                        await Refund(session, entry.PaymentId!.Value, "The doctor cancelled the OPD session before this consultation.", closed.By, closed.At, cancellationToken);
                    }
                    break;
                case TokenNotHeld notHeld when after.Entries[notHeld.Token - 1].PaymentId is { } paymentId:
                    await Refund(session, paymentId, $"The consultation could not be held: {notHeld.Reason}", notHeld.DoctorId, notHeld.At, cancellationToken);
                    break;
                case TokenCancelled cancelled when after.Entries[cancelled.Token - 1].PaymentId is { } paymentId:
                    await Refund(session, paymentId, "You cancelled before the consultation.", cancelled.PatientId, cancelled.At, cancellationToken);
                    break;
                case TokenPaymentExpired expired when await session.LoadAsync<Payment>(expired.PaymentId, cancellationToken) is { } payment:
                    PaymentService.Append(session, payment, PaymentDecisions.Lapse(payment, expired.At).Value);
                    break;
            }
        }
        return null;
    }

    private async Task Refund(IDocumentSession session, Guid paymentId, string reason, Guid by, DateTimeOffset at, CancellationToken cancellationToken)
    {
        if (await session.LoadAsync<Payment>(paymentId, cancellationToken) is { Status: PaymentStatus.Succeeded } payment)
        {
            PaymentService.RequestRefund(session, payment, reason, by, at);
            sweeper.Wake();
        }
    }
}
