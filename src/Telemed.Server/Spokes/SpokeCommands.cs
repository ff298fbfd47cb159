using Marten;
using Telemed.Domain;
using Telemed.Domain.Queue;
using Telemed.Server.Bookings;
using Telemed.Server.Queue;

namespace Telemed.Server.Spokes;

/// <summary>
/// A health worker books a slot for a patient they brought in; the booking is the patient's, booked by the health worker.
/// <paramref name="MovedFrom"/>: the booking of theirs in another session it replaces.
/// </summary>
public sealed record BookForPatient(Guid PatientId, Guid HealthWorkerId, int Slot, BookingMove? MovedFrom = null) : BookingCommand(Infrastructure.Ids.New(), "book for patient")
{
    public override bool HealthWorkerOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        BookingDecisions.Book(session, BookingId, Slot, PatientId, caller, null, now, MovedFrom);
}

/// <summary>A health worker moves a booking they made to another slot of its session, with a reason.</summary>
public sealed record RescheduleForPatient(Guid BookingId, int Slot, string Reason) : BookingCommand(BookingId, "reschedule booking for patient")
{
    public override bool HealthWorkerOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        BookingDecisions.RescheduleFor(session, BookingId, Slot, caller, Reason, now);
}

/// <summary>A health worker cancels a booking they made, with a reason.</summary>
public sealed record CancelForPatient(Guid BookingId, string Reason) : BookingCommand(BookingId, "cancel booking for patient")
{
    public override bool HealthWorkerOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        BookingDecisions.CancelFor(session, BookingId, caller, Reason, now);
}

/// <summary>A health worker gives up a booking they made, replaced by <paramref name="MovedTo"/> in another session.</summary>
public sealed record MoveOutForPatient(Guid BookingId, Guid MovedTo, string Reason) : BookingCommand(BookingId, "move booking for patient to another session")
{
    public override bool HealthWorkerOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        BookingDecisions.MoveOutFor(session, BookingId, caller, MovedTo, Reason, now);
}

/// <summary>A health worker checks in a patient they brought in (on their booking, if they hold one), with complaint and vitals.</summary>
public sealed record AssistedCheckIn(Guid PatientId, PatientSummary Patient, string? Complaint, AccompanyingAdult? AccompaniedBy, AssistedBy AssistedBy)
    : QueueCommand("assisted check in")
{
    public override bool HealthWorkerOnly => true;

    public override Result<IReadOnlyList<IQueueEvent>, QueueError> Decide(OpdSession session, Guid caller, Func<Guid, bool> isOnline, DateTimeOffset now) =>
        caller != AssistedBy.HealthWorkerId
            ? QueueError.NotYourToken
            : QueueDecisions.CheckIn(session, PatientId, Patient, Complaint, [], now, accompaniedBy: AccompaniedBy, assistedBy: AssistedBy);
}

/// <summary>A patient brought in at a spoke: the health worker who did, where, and when. Keyed "healthWorkerId:patientId".</summary>
public sealed record SpokePatient(string Id, Guid HealthWorkerId, Guid PatientId, Guid SpokeId, DateTimeOffset At)
{
    public static string Key(Guid healthWorkerId, Guid patientId) => $"{healthWorkerId:N}:{patientId:N}";
}

/// <summary>On the patient's stream: a health worker brought them in at their spoke, and may act for them there from now on.</summary>
public sealed record PatientBroughtIn(Guid PatientId, Guid HealthWorkerId, Guid SpokeId, DateTimeOffset At);

/// <summary>
/// A spoke's request to a hub doctor: one assisted token, keyed "sessionId:token", with the consultation once the doctor
/// starts it. What the health worker's list and the spoke pharmacy's list read.
/// </summary>
public sealed record SpokeRequest(
    string Id, Guid SessionId, int Token, Guid PatientId, Guid HealthWorkerId, Guid SpokeId, Guid HubId, DateTimeOffset At, Guid? ConsultationId = null)
{
    public static string Key(Guid sessionId, int token) => $"{sessionId:N}:{token}";
}

/// <summary>Writes the spoke's requests in the queue's own transaction: on an assisted check-in, and when its consultation starts.</summary>
public sealed class SpokeRequestLedger : IQueueLedger
{
    public async Task<QueueError?> Record(IDocumentSession session, OpdSession before, OpdSession after, IReadOnlyList<IQueueEvent> events, CancellationToken cancellationToken)
    {
        foreach (var @event in events)
        {
            switch (@event)
            {
                case PatientCheckedIn { AssistedBy: { } assisted } checkedIn:
                    session.Store(new SpokeRequest(SpokeRequest.Key(after.Id, checkedIn.Token), after.Id, checkedIn.Token, checkedIn.PatientId,
                        assisted.HealthWorkerId, assisted.SpokeId, after.FacilityId, checkedIn.At));
                    break;
                case TokenConsultationStarted started when after.Entries[started.Token - 1].AssistedBy is not null:
                    if (await session.LoadAsync<SpokeRequest>(SpokeRequest.Key(after.Id, started.Token), cancellationToken) is { } request)
                    {
                        session.Store(request with { ConsultationId = started.ConsultationId });
                    }
                    break;
            }
        }
        return null;
    }
}
