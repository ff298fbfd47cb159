using System.Globalization;
using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain;
using Telemed.Domain.Messages;
using Telemed.Domain.Payments;
using Telemed.Server.Messages;

namespace Telemed.Server.Payments;

/// <summary>The receipt (SMS, and e-mail to a patient who gave an address) and the refund notice, queued with the payment's own events.</summary>
public sealed class PaymentMessages(PatientMessages messages, IOptions<MessageOptions> options)
{
    public void Receipt(IDocumentSession session, Addressee? patient, Payment payment, DateTimeOffset paidAt)
    {
        if (patient is null)
        {
            return;
        }
        var amount = Rupees(payment.AmountPaise);
        var token = payment.Token.ToString(CultureInfo.InvariantCulture);
        messages.Sms(session, patient, MessageCatalogue.PaymentReceipt, new Dictionary<string, string> { ["amount"] = amount, ["token"] = token });
        messages.Email(session, patient, MessageCatalogue.ReceiptEmail, new Dictionary<string, string>
        {
            ["name"] = patient.Name, ["amount"] = amount, ["token"] = token,
            ["date"] = IndianTime.Day(paidAt).ToString("d MMM yyyy", CultureInfo.InvariantCulture), ["link"] = options.Value.Site,
        });
    }

    public void Refund(IDocumentSession session, Addressee? patient, Payment payment, long refundedPaise)
    {
        if (patient is not null)
        {
            messages.Sms(session, patient, MessageCatalogue.PaymentRefund, new Dictionary<string, string>
            {
                ["amount"] = Rupees(refundedPaise), ["token"] = payment.Token.ToString(CultureInfo.InvariantCulture),
            });
        }
    }

    /// <summary>"1500.00": rupees and paise, as the receipt prints them.</summary>
    private static string Rupees(long paise) => (paise / 100m).ToString("0.00", CultureInfo.InvariantCulture);
}
