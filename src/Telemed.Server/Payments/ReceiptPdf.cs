using System.Globalization;
using SkiaSharp;
using Telemed.Domain;
using Telemed.Domain.Payments;
using Telemed.Server.Documents;

namespace Telemed.Server.Payments;

public sealed record ReceiptParties(string Facility, string HfrId, string Doctor, string Patient, DateTimeOffset SessionStartsAt);

/// <summary>The A4 receipt for a consultation fee (and its refund, when there was one), on the same PDF layer as prescriptions.</summary>
public sealed class ReceiptPdf(PdfFonts fonts)
{
    private static readonly SKColor Ink = new(0x1B, 0x1B, 0x1B);
    private static readonly TextStyle Title = new(15, Ink);
    private static readonly TextStyle Body = new(10, Ink);

    public byte[] Render(Payment payment, ReceiptParties parties)
    {
        var page = new PdfComposer(fonts);
        page.NewPage();
        page.Paragraph([new(parties.Facility, Bold: true)], Title);
        page.Paragraph([new($"HFR ID: {parties.HfrId}")], Body);
        page.Rule(1.2f);
        page.Paragraph([new("Receipt — telemedicine consultation fee", Bold: true)], Title, spaceAfter: 6);
        Row(page, "Receipt no.", payment.Id.ToString());
        Row(page, "Paid on", IndianTime.Stamp(payment.PaidAt ?? payment.RequestedAt));
        Row(page, "Patient", parties.Patient);
        Row(page, "Doctor", parties.Doctor);
        Row(page, "OPD session", $"{IndianTime.Stamp(parties.SessionStartsAt)}, token {payment.Token}");
        Row(page, "Amount", Rupees(payment.AmountPaise));
        Row(page, "Payment reference", payment.PaymentIntentId);
        if (payment.Status is PaymentStatus.RefundRequested or PaymentStatus.Refunded)
        {
            page.Rule();
            Row(page, payment.Status == PaymentStatus.Refunded ? "Refunded" : "Refund in progress",
                payment.Status == PaymentStatus.Refunded ? Rupees(payment.RefundedPaise) : Rupees(payment.AmountPaise));
            Row(page, "Reason", payment.RefundReason ?? "");
        }
        page.Rule();
        page.Paragraph([new("Payments are processed by Stripe. This receipt is generated electronically and needs no signature.")], Body);
        return page.ToPdf($"Receipt {payment.Id}", payment.PaidAt ?? payment.RequestedAt);
    }

    private static void Row(PdfComposer page, string label, string value) =>
        page.Paragraph([new($"{label}: ", Bold: true), new(value)], Body, spaceAfter: 2);

    /// <summary>₹1,234.50 in Indian digit grouping (lakh, crore).</summary>
    public static string Rupees(long paise) =>
        "₹" + (paise / 100m).ToString("#,##,##,##0.00", CultureInfo.GetCultureInfo("en-IN"));
}
