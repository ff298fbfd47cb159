using Marten;
using Telemed.Domain.Consultations;
using Telemed.Domain.Queue;

namespace Telemed.Server.Consultations;

/// <summary>
/// What the queue's events mean for consultation streams, written in the queue's own transaction:
/// starting a token's consultation opens its stream; completing the token completes it.
/// </summary>
public static class ConsultationLedger
{
    public static void Record(IDocumentSession session, OpdSession after, IReadOnlyList<IQueueEvent> events)
    {
        foreach (var @event in events)
        {
            switch (@event)
            {
                case TokenConsultationStarted started:
                    var patient = after.Entries[started.Token - 1].PatientId;
                    session.Events.StartStream<Consultation>(started.ConsultationId,
                        new ConsultationStarted(started.ConsultationId, started.SessionId, started.Token, started.DoctorId, patient, started.At));
                    break;
                case TokenCompleted completed when after.Entries[completed.Token - 1].ConsultationId is { } consultationId:
                    session.Events.Append(consultationId, new ConsultationCompleted(consultationId, completed.DoctorId, completed.At));
                    break;
            }
        }
    }
}
