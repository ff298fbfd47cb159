using System.Security.Claims;
using Marten;
using Telemed.Domain.Identity;
using Telemed.Domain.Payments;
using Telemed.Domain.Queue;
using Telemed.Domain.Records;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Queue;
using Telemed.Server.Records;

namespace Telemed.Server.Payments;

public sealed record RefundRequest(string? Reason);

/// <summary>A session's fee as the admin picks it for a refund: the token it was for, never the patient.</summary>
public sealed record SessionPayment(Guid PaymentId, int Token, long AmountPaise, PaymentStatus Status, DateTimeOffset? PaidAt, string? RefundReason);

public static class PaymentEndpoints
{
    public static void MapPayments(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/payments/stripe/webhook", StripeWebhooks.Receive).AllowAnonymous().RequireRateLimiting(Security.WebhookLimit).WithTags("Payments")
            .WithSummary("Stripe webhook (signed; payment_intent.succeeded, payment_intent.payment_failed, charge.refunded).");
        var payments = app.MapGroup("/api/payments/{paymentId:guid}").WithTags("Payments");
        payments.MapGet("/", Get).WithSummary("A consultation fee: status, and the client secret while it is unpaid (its patient, admins).");
        payments.MapGet("/receipt", Receipt).WithSummary("The fee's receipt as a PDF, once paid (its patient, admins).");
        app.MapGet("/api/admin/payments", OfSession).RequireAuthorization(Roles.Admin).WithTags("Admin")
            .WithSummary("The fees of one OPD session by token (no patient named), to pick one to refund.");
        app.MapPost("/api/admin/payments/{paymentId:guid}/refund", Refund).RequireAuthorization(Roles.Admin).WithTags("Admin")
            .WithSummary("Refund a fee in full, with a reason the patient sees.");
    }

    private static async Task<IResult> Get(Guid paymentId, ClaimsPrincipal user, IQuerySession db, PaymentService payments, AuditTrail audit,
        HealthRecords records, CancellationToken cancellationToken)
    {
        if (await Readable(paymentId, $"payment/{paymentId}", user, db, audit, records, cancellationToken) is { } refused)
        {
            return refused;
        }
        return TypedResults.Ok(await payments.View(paymentId, cancellationToken));
    }

    private static async Task<IResult> Receipt(Guid paymentId, ClaimsPrincipal user, IQuerySession db, QueueService queue, ReceiptPdf receipts, AuditTrail audit,
        HealthRecords records, CancellationToken cancellationToken)
    {
        if (await Readable(paymentId, $"payment/{paymentId}/receipt", user, db, audit, records, cancellationToken) is { } refused)
        {
            return refused;
        }
        var payment = (await db.LoadAsync<Payment>(paymentId, cancellationToken))!;
        if (payment.Status is PaymentStatus.AwaitingPayment or PaymentStatus.Lapsed)
        {
            return Problems.Conflict("There is no receipt yet: this fee has not been paid.");
        }
        var session = (await queue.Load(payment.SessionId, cancellationToken))!;
        var facility = await db.LoadAsync<Facility>(session.FacilityId, cancellationToken);
        var patient = await db.LoadAsync<PatientAccount>(payment.PatientId, cancellationToken);
        var doctors = await db.LoadManyAsync<StaffAccount>(cancellationToken, session.DoctorIds);
        var doctorId = session.Entry(payment.Token)?.DoctorId;
        var doctor = doctors.FirstOrDefault(d => d.Id == doctorId)?.Name ?? string.Join(", ", doctors.Select(d => d.Name));
        var parties = new ReceiptParties(facility?.Name ?? "", facility?.HfrId ?? "", doctor, patient?.Name ?? "", session.StartsAt);
        return TypedResults.File(receipts.Render(payment, parties), "application/pdf", $"receipt-{paymentId}.pdf");
    }

    private static async Task<IResult> OfSession(Guid? sessionId, IQuerySession db, CancellationToken cancellationToken)
    {
        if (sessionId is not { } id)
        {
            return Problems.Invalid("sessionId", "Name the OPD session.");
        }
        var payments = await db.Query<Payment>().Where(p => p.SessionId == id).OrderBy(p => p.Token).ToListAsync(cancellationToken);
        return TypedResults.Ok(payments.Select(p => new SessionPayment(p.Id, p.Token, p.AmountPaise, p.Status, p.PaidAt, p.RefundReason)));
    }

    private static async Task<IResult> Refund(Guid paymentId, RefundRequest request, ClaimsPrincipal user, IDocumentStore store, PaymentSweeper sweeper,
        TimeProvider time, CancellationToken cancellationToken)
    {
        await using var session = store.LightweightSession();
        var payment = await session.LoadAsync<Payment>(paymentId, cancellationToken);
        if (payment is null)
        {
            return Problems.NotFound("There is no such payment.");
        }
        var decision = PaymentDecisions.RequestRefund(payment, request.Reason, user.AccountId(), time.GetUtcNow());
        if (!decision.IsSuccess)
        {
            return decision.Error.Code == "ReasonRequired" ? Problems.Invalid("reason", decision.Error.Message) : Problems.Conflict(decision.Error.Message);
        }
        PaymentService.Append(session, payment, decision.Value);
        await session.SaveChangesAsync(cancellationToken);
        sweeper.Wake();
        return TypedResults.Accepted($"/api/payments/{paymentId}", new { paymentId, Status = decision.Value.Aggregate(payment, Payment.Evolve).Status });
    }

    /// <summary>Null when the caller may read the payment, and then the read is on the patient's access log.</summary>
    private static async Task<IResult?> Readable(
        Guid paymentId, string resource, ClaimsPrincipal user, IQuerySession db, AuditTrail audit, HealthRecords records, CancellationToken cancellationToken)
    {
        var payment = await db.LoadAsync<Payment>(paymentId, cancellationToken);
        if (payment is null)
        {
            return Problems.NotFound("There is no such payment.");
        }
        if (payment.PatientId != user.AccountId() && !user.IsInRole(Roles.Admin))
        {
            await audit.Refused(user.AccountId(), $"payment/{paymentId}", "read payment", cancellationToken);
            // The same answer as for a payment that does not exist: a stranger cannot tell ids that exist from ones that do not.
            return Problems.NotFound("There is no such payment.");
        }
        await (payment.PatientId == user.AccountId()
            ? records.LoggedOwn(user, payment.PatientId, resource, cancellationToken)
            : records.Logged(user.AccountId(), payment.PatientId, RecordAccessBasis.Billing, resource, cancellationToken));
        return null;
    }
}
