namespace Telemed.Domain.Consultations;

public enum GuestRelation
{
    Family,
    Interpreter,
}

/// <summary>A guest as the consultation names them; <see cref="Admitted"/> once their link was used.</summary>
public sealed record ConsultationGuest(Guid Id, string Name, GuestRelation Relation, Guid InvitedBy, DateTimeOffset ExpiresAt, bool Admitted);

/// <summary>
/// Guests in a call: a family member or an interpreter, let in by the patient's side (the patient's consent is that they
/// ask), named in the consultation, with a link that admits them once, for this consultation only, within
/// <see cref="LinkLifetime"/>. A guest takes part in the call and its chat; the record and every other page stay closed to them.
/// </summary>
public static class GuestDecisions
{
    public const int MaxNameLength = 80;

    /// <summary>Guests a consultation may have had in all: a call is not a meeting.</summary>
    public const int MaxGuests = 3;

    /// <summary>How long a link waits to be opened: long enough to send it and open it, short enough that a forwarded one is useless.</summary>
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromMinutes(15);

    public static ConsultationError NotPatientSide { get; } =
        new("NotPatientSide", "Only the patient (or the health worker with them) may let a guest into their consultation.");

    public static ConsultationError TooManyGuests { get; } = new("TooManyGuests", $"A consultation may have at most {MaxGuests} guests.");

    public static ConsultationError LinkUsed { get; } = new("GuestLinkUsed", "This guest link has been used already; ask the patient for a new one.");

    public static ConsultationError LinkExpired { get; } = new("GuestLinkExpired", "This guest link has expired; ask the patient for a new one.");

    public static ConsultationError UnknownGuest { get; } = new("GuestLinkUnknown", "This guest link is not valid.");

    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> Invite(
        Consultation consultation, Guid callerId, Guid guestId, string? name, GuestRelation relation, DateTimeOffset now)
    {
        if (consultation.RoleOf(callerId) is not (ParticipantRole.Patient or ParticipantRole.HealthWorker))
        {
            return NotPatientSide;
        }
        if (consultation.Status != ConsultationStatus.Open)
        {
            return ConsultationError.Ended;
        }
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length == 0 || trimmed.Length > MaxNameLength || trimmed.Any(char.IsControl))
        {
            return new ConsultationError("InvalidGuestName", $"Give the guest's name: 1 to {MaxNameLength} characters, on one line.");
        }
        if (consultation.Guests.Count >= MaxGuests)
        {
            return TooManyGuests;
        }
        return new IConsultationEvent[] { new GuestInvited(consultation.Id, guestId, trimmed, relation, callerId, now, now + LinkLifetime) };
    }

    /// <summary>The link is opened: admits its guest once, before it expires, while the consultation is open.</summary>
    public static Result<IReadOnlyList<IConsultationEvent>, ConsultationError> Admit(Consultation consultation, Guid guestId, DateTimeOffset now)
    {
        if (consultation.Guests.FirstOrDefault(g => g.Id == guestId) is not { } guest)
        {
            return UnknownGuest;
        }
        if (consultation.Status != ConsultationStatus.Open)
        {
            return ConsultationError.Ended;
        }
        if (guest.Admitted)
        {
            return LinkUsed;
        }
        if (now >= guest.ExpiresAt)
        {
            return LinkExpired;
        }
        return new IConsultationEvent[] { new GuestAdmitted(consultation.Id, guestId, now) };
    }
}
