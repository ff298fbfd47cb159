using System.Globalization;
using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain.Consultations;
using Telemed.Domain.Messages;
using Telemed.Domain.Prescriptions;
using Telemed.Domain.Queue;
using Telemed.Server.Consultations;
using Telemed.Server.Infrastructure;
using Telemed.Server.Messages;
using Telemed.Server.Records;

namespace Telemed.Server.Prescriptions;

/// <summary>Completes a consultation inside the queue's transaction: signs what the doctor prescribed and starts its stream.</summary>
public sealed class PrescriptionIssuer(PrescriptionKeys keys, IOptions<PrescriptionOptions> options, PatientMessages messages)
{
    public async Task<ConsultationError?> Complete(IDocumentSession session, Guid consultationId, TokenCompleted completed, CancellationToken cancellationToken)
    {
        var consultation = await ConsultationService.Load(session, consultationId, cancellationToken)
            ?? throw new InvalidOperationException($"Token {completed.Token} names consultation {consultationId}, which has no events.");
        var recorded = new List<IConsultationEvent>();
        var patient = await PatientMessages.Addressee(session, consultation.PatientId, cancellationToken);
        if (!consultation.Record.Medicines.IsEmpty)
        {
            var parties = await ClinicalParties.Load(session, consultation, completed.At, cancellationToken);
            var prescriptionId = Ids.New();
            var composed = PrescriptionRules.Compose(consultation, prescriptionId, parties.Facility, parties.Doctor, parties.Patient, completed.At,
                options.Value.ValidityDays);
            if (!composed.IsSuccess)
            {
                return composed.Error;
            }
            var (jws, keyId) = keys.Sign(composed.Value!);
            session.Events.StartStream<Prescription>(prescriptionId, new PrescriptionSigned(prescriptionId, composed.Value!, jws, keyId, completed.At));
            recorded.Add(new PrescriptionIssued(consultationId, prescriptionId, completed.At));
            if (patient is not null)
            {
                messages.Sms(session, patient, MessageCatalogue.PrescriptionReady, new Dictionary<string, string> { ["rx"] = Ids.Compact(prescriptionId) });
                messages.Email(session, patient, MessageCatalogue.PrescriptionEmail, new Dictionary<string, string>
                {
                    ["name"] = patient.Name, ["doctor"] = parties.Doctor.Name, ["link"] = options.Value.VerificationUrl(prescriptionId),
                });
            }
        }
        if (patient is not null && consultation.Record.Notes?.FollowUpOn is { } followUp && Delivery.FollowUpReminderAt(followUp, completed.At) is { } remindAt)
        {
            messages.Sms(session, patient, MessageCatalogue.FollowUpReminder,
                new Dictionary<string, string> { ["date"] = followUp.ToString("d MMM yyyy", CultureInfo.InvariantCulture) }, dueAt: remindAt);
        }
        recorded.Add(new ConsultationCompleted(consultationId, completed.DoctorId, completed.At));
        session.Store(new CareContext(consultationId, consultation.PatientId, consultation.DoctorId, consultation.SessionId, consultation.StartedAt,
            ConsultationStatus.Completed, completed.At, (recorded[0] as PrescriptionIssued)?.PrescriptionId));
        // The expected version makes a note saved at this very moment fail the whole completion (which is then decided again),
        // rather than land after the prescription was signed without it.
        session.Events.Append(consultationId, consultation.Version + recorded.Count, [.. recorded]);
        return null;
    }
}
