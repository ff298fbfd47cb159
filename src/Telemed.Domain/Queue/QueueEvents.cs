namespace Telemed.Domain.Queue;

/// <summary>An event on an OPD session stream.</summary>
public interface IQueueEvent
{
    Guid SessionId { get; }

    DateTimeOffset At { get; }
}

/// <summary>An event about one token: its patient and the staff watching the session hear of it.</summary>
public interface ITokenEvent : IQueueEvent
{
    int Token { get; }
}

public sealed record SessionOpened(
    Guid SessionId,
    Guid FacilityId,
    IReadOnlyList<Guid> DoctorIds,
    DateTimeOffset StartsAt,
    DateTimeOffset EndsAt,
    long FeePaise,
    int Capacity,
    string? Specialty,
    int SlotMinutes,
    int NoShowAfterMissedCalls,
    Guid OpenedBy,
    DateTimeOffset At) : IQueueEvent;

public sealed record SessionPaused(Guid SessionId, Guid By, DateTimeOffset At) : IQueueEvent;

public sealed record SessionResumed(Guid SessionId, Guid By, DateTimeOffset At) : IQueueEvent;

public sealed record SessionClosed(Guid SessionId, Guid By, DateTimeOffset At) : IQueueEvent;

/// <summary>Who checked in, as the queue shows them to staff (captured at check-in).</summary>
public sealed record PatientSummary(string Name, int Age, string Sex);

public sealed record AttachmentRef(Guid Id, string FileName, string ContentType, long Size);

/// <summary>
/// The adult who comes to the consultation with the patient. A minor consults only with an identified adult (TPG 2020):
/// <see cref="AccountId"/> is the guardian's account when the guardian, signed in with the family's number, is that adult.
/// </summary>
public sealed record AccompanyingAdult(string Name, Identity.Relation Relation, Guid? AccountId)
{
    /// <summary>The adult a caller names, checked under "accompaniedBy.name" and "accompaniedBy.relation"; null with the errors added.</summary>
    public static AccompanyingAdult? Parse(string? name, string? relation, FieldErrors errors)
    {
        var checkedName = errors.Require("accompaniedBy.name", Identity.PersonRules.Name(name, "The accompanying adult's name"));
        var checkedRelation = errors.RequireValue("accompaniedBy.relation", Identity.Family.ParseRelation(relation));
        return checkedName is null || checkedRelation is null ? null : new AccompanyingAdult(checkedName, checkedRelation.Value, null);
    }
}

/// <summary>
/// The health worker who brought the patient in at a spoke and sits with them in the call: named, with cadre and spoke,
/// as they were at check-in, and the vitals they took there.
/// </summary>
public sealed record AssistedBy(Guid HealthWorkerId, string Name, Spokes.Cadre Cadre, Guid SpokeId, string SpokeName, Consultations.Vitals? Vitals);

public sealed record PatientCheckedIn(
    Guid SessionId,
    int Token,
    Guid PatientId,
    PatientSummary Patient,
    string? Complaint,
    IReadOnlyList<AttachmentRef> Attachments,
    DateTimeOffset At,
    Guid? PaymentId = null,
    AccompanyingAdult? AccompaniedBy = null,
    Guid? BookingId = null,
    AssistedBy? AssistedBy = null) : ITokenEvent;

/// <summary>The fee of a paid check-in was received: the token joins the line.</summary>
public sealed record TokenPaid(Guid SessionId, int Token, Guid PaymentId, DateTimeOffset At) : ITokenEvent;

public sealed record TokenPaymentExpired(Guid SessionId, int Token, Guid PaymentId, DateTimeOffset At) : ITokenEvent;

public sealed record TokenNotHeld(Guid SessionId, int Token, Guid DoctorId, string Reason, DateTimeOffset At) : ITokenEvent;

public sealed record TokenCalled(Guid SessionId, int Token, Guid DoctorId, bool PatientWasOffline, DateTimeOffset At) : ITokenEvent;

public sealed record TokenSkipped(Guid SessionId, int Token, Guid By, DateTimeOffset At) : ITokenEvent;

public sealed record TokenMarkedNoShow(Guid SessionId, int Token, Guid By, bool AfterMissedCalls, DateTimeOffset At) : ITokenEvent;

public sealed record TokenRecalled(Guid SessionId, int Token, Guid By, DateTimeOffset At) : ITokenEvent;

/// <summary>The doctor started the consultation of a called token; its room and record live on the consultation's own stream.</summary>
public sealed record TokenConsultationStarted(Guid SessionId, int Token, Guid DoctorId, Guid ConsultationId, DateTimeOffset At) : ITokenEvent;

public sealed record TokenCompleted(Guid SessionId, int Token, Guid DoctorId, DateTimeOffset At) : ITokenEvent;

public sealed record TokenCancelled(Guid SessionId, int Token, Guid PatientId, DateTimeOffset At) : ITokenEvent;

public sealed record TokenLeft(Guid SessionId, int Token, Guid By, DateTimeOffset At) : ITokenEvent;

public sealed record TokenPrioritised(Guid SessionId, int Token, Priority Priority, Guid By, DateTimeOffset At) : ITokenEvent;

/// <summary>
/// A slot booked ahead, by the patient, the guardian acting for them or a health worker; a follow-up names the prescription
/// that asked for it. <paramref name="MovedFrom"/>: the booking in another session it replaces, when one was moved here;
/// <paramref name="Reason"/>: why a health worker moved it.
/// </summary>
public sealed record SlotBooked(
    Guid SessionId, Guid BookingId, int Slot, Guid PatientId, Guid BookedBy, FollowUpOf? FollowUp, DateTimeOffset At, Guid? MovedFrom = null, string? Reason = null)
    : IQueueEvent;

/// <summary>A booking moved to another slot of its session; <paramref name="Reason"/>: why a health worker moved it.</summary>
public sealed record BookingRescheduled(Guid SessionId, Guid BookingId, int Slot, Guid By, DateTimeOffset At, string? Reason = null) : IQueueEvent;

/// <summary>
/// A booking given up; <paramref name="MovedTo"/>: the booking in another session that replaced it, when it was moved there;
/// <paramref name="Reason"/>: why a health worker cancelled or moved it.
/// </summary>
public sealed record BookingCancelled(Guid SessionId, Guid BookingId, Guid By, DateTimeOffset At, Guid? MovedTo = null, string? Reason = null) : IQueueEvent;

/// <summary>The booked patient had not checked in by the grace time after their slot began: a no-show.</summary>
public sealed record BookingMissed(Guid SessionId, Guid BookingId, DateTimeOffset At) : IQueueEvent;
