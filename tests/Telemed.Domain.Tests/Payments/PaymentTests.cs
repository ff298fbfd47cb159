using Telemed.Domain.Payments;
using Telemed.Domain.Queue;

namespace Telemed.Domain.Tests.Payments;

public class PaymentTests
{
    private static readonly Guid PaymentId = Guid.NewGuid();
    private static readonly Guid SessionId = Guid.NewGuid();
    private static readonly Guid Patient = Guid.NewGuid();
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 6, 0, 0, TimeSpan.Zero);

    private static readonly Payment Requested =
        Payment.Evolve(null, new PaymentRequested(PaymentId, SessionId, 1, Patient, 50_000, "pi_1", Now.AddMinutes(15), Now));

    private static Payment After(Payment payment, Result<IReadOnlyList<IPaymentEvent>, PaymentError> decision) =>
        decision.Value.Aggregate(payment, Payment.Evolve);

    private static OpdSession PaidSession(params IQueueEvent[] more) => new IQueueEvent[]
        {
            new SessionOpened(SessionId, Guid.NewGuid(), [Guid.NewGuid()], Now, Now.AddHours(4), 50_000, 10, null, 10, 3, Guid.NewGuid(), Now),
        }
        .Concat(more)
        .Aggregate((OpdSession?)null, OpdSession.Evolve)!;

    [Fact]
    public void A_success_is_recorded_once_and_a_late_failure_changes_nothing()
    {
        var paid = After(Requested, PaymentDecisions.Succeed(Requested, "evt_1", Now));
        paid.Status.ShouldBe(PaymentStatus.Succeeded);
        PaymentDecisions.Succeed(paid, "evt_1", Now).Value.ShouldBeEmpty();
        PaymentDecisions.Fail(paid, "evt_2", "card_declined", Now).Value.ShouldBeEmpty();
    }

    [Fact]
    public void A_decline_before_success_is_noted_and_the_patient_may_still_pay()
    {
        var declined = After(Requested, PaymentDecisions.Fail(Requested, "evt_1", "card_declined", Now));
        declined.Status.ShouldBe(PaymentStatus.AwaitingPayment);
        declined.LastFailure.ShouldBe("card_declined");
        After(declined, PaymentDecisions.Succeed(declined, "evt_2", Now)).Status.ShouldBe(PaymentStatus.Succeeded);
    }

    [Fact]
    public void Only_a_received_fee_is_refunded_and_once()
    {
        PaymentDecisions.RequestRefund(Requested, "Session cancelled", null, Now).Error.Code.ShouldBe("NotPaid");
        var paid = After(Requested, PaymentDecisions.Succeed(Requested, "evt_1", Now));
        PaymentDecisions.RequestRefund(paid, "", null, Now).Error.Code.ShouldBe("ReasonRequired");
        var requested = After(paid, PaymentDecisions.RequestRefund(paid, "Session cancelled", null, Now));
        PaymentDecisions.RequestRefund(requested, "again", null, Now).Value.ShouldBeEmpty();
        var submitted = After(requested, PaymentDecisions.Submitted(requested, "re_1", Now));
        submitted.RefundId.ShouldBe("re_1");
        var refunded = After(submitted, PaymentDecisions.Refunded(submitted, "evt_3", 50_000, Now));
        refunded.Status.ShouldBe(PaymentStatus.Refunded);
        PaymentDecisions.Succeed(refunded, "evt_1", Now).Value.ShouldBeEmpty();
        PaymentDecisions.Refunded(refunded, "evt_3", 50_000, Now).Value.ShouldBeEmpty();
    }

    [Fact]
    public void A_paid_session_holds_the_place_until_the_payment_arrives()
    {
        var summary = new PatientSummary("Priya", 38, "female");
        QueueDecisions.CheckIn(PaidSession(), Patient, summary, null, [], Now).Error.Code.ShouldBe(QueueErrorCode.PaymentRequired);
        var checkedIn = QueueDecisions.CheckIn(PaidSession(), Patient, summary, null, [], Now, PaymentId).Value.ShouldHaveSingleItem();
        var held = PaidSession(checkedIn);
        held.Entries[0].State.ShouldBe(TokenState.AwaitingPayment);
        held.Line().ShouldBeEmpty();
        held.PlacesTaken.ShouldBe(1);
        QueueDecisions.CheckIn(held, Patient, summary, null, [], Now, Guid.NewGuid()).Value.ShouldBeEmpty();

        var paid = OpdSession.Evolve(held, QueueDecisions.MarkPaid(held, 1, PaymentId, Now).Value.ShouldHaveSingleItem());
        paid.Line().ShouldHaveSingleItem().Token.ShouldBe(1);
        QueueDecisions.MarkPaid(paid, 1, PaymentId, Now).Value.ShouldBeEmpty();
    }

    [Fact]
    public void An_unpaid_hold_lapses_and_a_payment_after_that_is_refused()
    {
        var held = PaidSession(new PatientCheckedIn(SessionId, 1, Patient, new PatientSummary("Priya", 38, "female"), null, [], Now, PaymentId));
        QueueDecisions.ExpireHolds(held, TimeSpan.FromMinutes(15), Now.AddMinutes(14)).Value.ShouldBeEmpty();
        var expired = OpdSession.Evolve(held, QueueDecisions.ExpireHolds(held, TimeSpan.FromMinutes(15), Now.AddMinutes(15)).Value.ShouldHaveSingleItem());
        expired.Entries[0].State.ShouldBe(TokenState.PaymentExpired);
        expired.PlacesTaken.ShouldBe(0);
        QueueDecisions.MarkPaid(expired, 1, PaymentId, Now).Error.Code.ShouldBe(QueueErrorCode.PaymentTooLate);
    }
}
