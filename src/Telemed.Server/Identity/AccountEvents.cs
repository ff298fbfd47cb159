using Marten;
using Telemed.Server.Infrastructure;
using Telemed.Domain.Identity;

namespace Telemed.Server.Identity;

// The audit trail of an account: a stream per account id in the event store (not the log).
public sealed record PatientRegistered(Guid PatientId, DateTimeOffset At);

/// <summary>A guardian registered a family member on their number; the dependant's own stream starts with this.</summary>
public sealed record DependantRegistered(Guid DependantId, Guid GuardianId, DateTimeOffset At);

/// <summary>The guardian changed a dependant's details.</summary>
public sealed record DependantUpdated(Guid DependantId, Guid GuardianId, DateTimeOffset At);

/// <summary>The guardian started acting for the dependant (a sign-in session of the dependant, held by the guardian).</summary>
public sealed record GuardianActing(Guid DependantId, Guid GuardianId, Guid SessionId, DateTimeOffset At);

public sealed record StaffRegistered(Guid StaffId, Role Role, Guid? RegisteredBy, DateTimeOffset At);

/// <summary>
/// Journals what was done to an account (signed in or out, refreshed into a refusal, changed its second factor or its
/// password, deactivated; a dependant's details changed or taken up by their guardian; a consent to read the patient's
/// records granted or withdrawn) once the change itself is saved
/// and before the caller is answered. The account's stream is appended by every audited read too (a doctor reading a
/// queue, a patient's refused request, a read of their record), so these appends race with others for the next version;
/// that race must not turn a right password, a sign-out or a change of authenticator into an error, nor undo a
/// revocation. The change's own documents keep their optimistic concurrency (a code used twice, a token rotated twice).
/// Should the journal still lose after its retries, the caller gets the 409 of a concurrent change for a change that
/// stands (reloading shows it): nothing is answered as done without its entry, and no entry tells of an unsaved change.
/// </summary>
public static class AccountJournal
{
    public static Task Record(IDocumentStore store, Guid accountId, CancellationToken cancellationToken, params object[] events) =>
        Journal.Save(store, journal => journal.Events.Append(accountId, events), cancellationToken);
}

public sealed record SignedIn(Guid AccountId, string Method, DateTimeOffset At)
{
    /// <summary>Journals a sign-in (with whatever else it used up, such as a recovery code) once its tokens are saved and before they are handed over.</summary>
    public static Task Record(IDocumentStore store, SignedIn signedIn, CancellationToken cancellationToken, params object[] alongside) =>
        AccountJournal.Record(store, signedIn.AccountId, cancellationToken, [.. alongside, signedIn]);
}

public sealed record SignInFailed(Guid AccountId, string Reason, DateTimeOffset At);

public sealed record RefreshTokenReused(Guid AccountId, Guid FamilyId, DateTimeOffset At);

public sealed record SignedOut(Guid AccountId, Guid FamilyId, DateTimeOffset At);

/// <summary>The account tried to read or change something that is not theirs (another patient's token, another doctor's session).</summary>
public sealed record AccessRefused(Guid AccountId, string Resource, string Action, DateTimeOffset At);

/// <summary>A read of data that is no one patient's record but holds many patients' details (a session's queue, with its complaints).</summary>
public sealed record AccessGranted(Guid AccountId, string Resource, string Action, DateTimeOffset At);

/// <summary>Every session of the account was ended at once (a lost phone, a shared computer).</summary>
public sealed record SignedOutEverywhere(Guid AccountId, DateTimeOffset At);

/// <summary>An admin switched a staff account off: it cannot sign in or refresh, and its live connections are closed.</summary>
public sealed record AccountDeactivated(Guid AccountId, Guid By, DateTimeOffset At);

// Admin acts on places, each starting the place's own stream so the act is audited like those on accounts.
public sealed record FacilityRegistered(Guid FacilityId, Guid By, DateTimeOffset At);

public sealed record PharmacyRegistered(Guid PharmacyId, Guid By, DateTimeOffset At);

/// <summary>A staff session was ended because it had not been used for longer than the idle limit.</summary>
public sealed record SignedOutIdle(Guid AccountId, Guid FamilyId, DateTimeOffset At);

/// <summary>A sign-in session reached its absolute lifetime: however often it refreshed, its holder signs in again.</summary>
public sealed record SessionLifetimeEnded(Guid AccountId, Guid FamilyId, DateTimeOffset At);
