using System.Globalization;
using Marten;
using Telemed.Domain.Consultations;
using Telemed.Domain.Messages;
using Telemed.Domain.Queue;
using Telemed.Server.Messages;
using Telemed.Server.Prescriptions;
using Telemed.Server.Queue;
using Telemed.Server.Records;

namespace Telemed.Server.Consultations;

/// <summary>
/// What the queue's events mean for consultation streams, written in the queue's own transaction:
/// starting a token's consultation opens its stream; completing the token completes it and signs its prescription,
/// so a completed consultation never lacks the prescription its doctor wrote, and a follow-up date its doctor set is
/// reminded by SMS the day before; a token marked not held abandons it. A token a spoke's health worker checked in starts
/// with the health worker as a participant and the vitals they took.
/// </summary>
public sealed class ConsultationLedger(IPrescriptionSigner prescriptions, PatientMessages messages) : IQueueLedger
{
    /// <summary>Adds the consultation events to the session, or says why the queue command may not go ahead.</summary>
    public async Task<QueueError?> Record(
        IDocumentSession session, OpdSession before, OpdSession after, IReadOnlyList<IQueueEvent> events, CancellationToken cancellationToken)
    {
        foreach (var @event in events)
        {
            switch (@event)
            {
                case TokenConsultationStarted started:
                    var entry = after.Entries[started.Token - 1];
                    var patient = entry.PatientId;
                    // A booked follow-up counts as one only with the doctor who asked for it.
                    var followUp = entry.BookingId is { } bookingId && after.Booking(bookingId)?.FollowUp is { } asked && asked.DoctorId == started.DoctorId
                        ? asked.PrescriptionId
                        : (Guid?)null;
                    // A patient brought in at a spoke comes with their health worker, who joins the room, and the vitals taken there.
                    var assisted = entry.AssistedBy;
                    var opened = new ConsultationStarted(started.ConsultationId, started.SessionId, started.Token, started.DoctorId, patient, started.At, followUp,
                        assisted?.HealthWorkerId, assisted is null ? null : new AssistingHealthWorker(assisted.Name, assisted.Cadre, assisted.SpokeId, assisted.SpokeName),
                        entry.AccompaniedBy);
                    IConsultationEvent[] opening = assisted?.Vitals is { } vitals
                        ? [opened, new VitalsRecorded(started.ConsultationId, vitals, assisted.HealthWorkerId, started.At)]
                        : [opened];
                    session.Events.StartStream<Consultation>(started.ConsultationId, [.. opening.Cast<object>()]);
                    session.Store(new CareContext(started.ConsultationId, patient, started.DoctorId, started.SessionId, started.At, ConsultationStatus.Open, null, null));
                    break;
                case TokenCompleted completed when after.Entries[completed.Token - 1].ConsultationId is { } consultationId:
                    if (await Complete(session, consultationId, completed, cancellationToken) is { } refused)
                    {
                        return refused.Code == PrescriptionIssuer.SigningLocked
                            ? new QueueError(QueueErrorCode.SigningLocked, refused.Message)
                            : new QueueError(QueueErrorCode.RecordIncomplete, $"Token {completed.Token} cannot be completed yet: {refused.Message}");
                    }
                    break;
                case TokenNotHeld notHeld when after.Entries[notHeld.Token - 1].ConsultationId is { } abandonedId:
                    session.Events.Append(abandonedId, new ConsultationAbandoned(abandonedId, notHeld.Reason, notHeld.At));
                    if (await session.LoadAsync<CareContext>(abandonedId, cancellationToken) is { } context)
                    {
                        session.Store(context with { Status = ConsultationStatus.Abandoned, EndedAt = notHeld.At });
                    }
                    break;
            }
        }
        return null;
    }

    /// <summary>Completes the consultation and signs what its doctor prescribed, or says why its record cannot be signed yet.</summary>
    private async Task<ConsultationError?> Complete(IDocumentSession session, Guid consultationId, TokenCompleted completed, CancellationToken cancellationToken)
    {
        // Exclusive: a note being saved at this very moment lands before the prescription is signed, never after it.
        var stream = await session.Events.FetchForExclusiveWriting<Consultation>(consultationId, cancellationToken);
        var consultation = stream.Aggregate
            ?? throw new InvalidOperationException($"Token {completed.Token} names consultation {consultationId}, which has no events.");
        var recorded = new List<IConsultationEvent>();
        Guid? prescriptionId = null;
        if (!consultation.Record.Medicines.IsEmpty)
        {
            var signed = await prescriptions.Sign(session, consultation, completed.At, cancellationToken);
            if (!signed.IsSuccess)
            {
                return signed.Error;
            }
            prescriptionId = signed.Value;
            recorded.Add(new PrescriptionIssued(consultationId, signed.Value, completed.At));
        }
        recorded.Add(new ConsultationCompleted(consultationId, completed.DoctorId, completed.At));
        if (consultation.Record.Notes?.FollowUpOn is { } followUp && Delivery.FollowUpReminderAt(followUp, completed.At) is { } remindAt
            && await PatientMessages.Addressee(session, consultation.PatientId, cancellationToken) is { } patient)
        {
            messages.Sms(session, patient, MessageCatalogue.FollowUpReminder,
                new Dictionary<string, string> { ["date"] = followUp.ToString("d MMM yyyy", CultureInfo.InvariantCulture) }, dueAt: remindAt);
        }
        session.Store(new CareContext(consultationId, consultation.PatientId, consultation.DoctorId, consultation.SessionId, consultation.StartedAt,
            ConsultationStatus.Completed, completed.At, prescriptionId, consultation.Record.Diagnosis, [.. consultation.Record.Medicines.Select(m => m.Generic)]));
        stream.AppendMany([.. recorded]);
        return null;
    }
}
