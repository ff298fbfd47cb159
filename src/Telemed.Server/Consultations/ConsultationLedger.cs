using Marten;
using Telemed.Domain.Consultations;
using Telemed.Domain.Queue;
using Telemed.Server.Prescriptions;
using Telemed.Server.Queue;
using Telemed.Server.Records;

namespace Telemed.Server.Consultations;

/// <summary>
/// What the queue's events mean for consultation streams, written in the queue's own transaction:
/// starting a token's consultation opens its stream; completing the token completes it and signs its prescription,
/// so a completed consultation never lacks the prescription its doctor wrote; a token marked not held abandons it.
/// </summary>
public sealed class ConsultationLedger(PrescriptionIssuer issuer) : IQueueLedger
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
                    var patient = after.Entries[started.Token - 1].PatientId;
                    session.Events.StartStream<Consultation>(started.ConsultationId,
                        new ConsultationStarted(started.ConsultationId, started.SessionId, started.Token, started.DoctorId, patient, started.At));
                    session.Store(new CareContext(started.ConsultationId, patient, started.DoctorId, started.SessionId, started.At, ConsultationStatus.Open, null, null));
                    break;
                case TokenCompleted completed when after.Entries[completed.Token - 1].ConsultationId is { } consultationId:
                    if (await issuer.Complete(session, consultationId, completed, cancellationToken) is { } refused)
                    {
                        return new QueueError(QueueErrorCode.RecordIncomplete, $"Token {completed.Token} cannot be completed yet: {refused.Message}");
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
}
