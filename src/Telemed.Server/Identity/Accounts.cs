using Telemed.Domain.Abdm;
using Telemed.Domain.Identity;
using Telemed.Domain.Messages;

namespace Telemed.Server.Identity;

/// <summary>
/// A patient: signs in with a one-time code sent to their mobile number, or — a dependant, with <see cref="GuardianId"/>
/// set — is registered and acted for by the guardian who signs in with that number (the family's number, kept as theirs).
/// <see cref="Language"/> is the one messages to them are written in.
/// </summary>
public sealed record PatientAccount(
    Guid Id,
    string Name,
    int YearOfBirth,
    DateOnly? DateOfBirth,
    Sex Sex,
    string Mobile,
    string? AbhaNumber,
    string? AbhaAddress,
    DateTimeOffset RegisteredAt,
    string Language = MessageCatalogue.English,
    string? Email = null,
    Guid? GuardianId = null,
    Relation? GuardianRelation = null);

/// <summary>Doctors, pharmacists and admins: registered by an admin, sign in with email and password.</summary>
public sealed record StaffAccount(
    Guid Id,
    Role Role,
    string Name,
    string Email,
    string PasswordHash,
    DoctorDetails? Doctor,
    PharmacistDetails? Pharmacist,
    DateTimeOffset RegisteredAt,
    bool Active = true,
    HealthWorkerDetails? HealthWorker = null);

public sealed record DoctorDetails(
    string HprId,
    string Qualification,
    string RegistrationNumber,
    string StateCouncil,
    string? Specialty,
    IReadOnlyList<Guid> FacilityIds,
    RegistryCheck? Hpr = null);

/// <summary>A health worker belongs to one spoke facility: they bring patients in there and act only for them.</summary>
public sealed record HealthWorkerDetails(Telemed.Domain.Spokes.Cadre Cadre, Guid FacilityId);

/// <summary>A pharmacist works for one registered pharmacy, which is recorded on everything they dispense.</summary>
public sealed record PharmacistDetails(string RegistrationNumber, string StateCouncil, Guid PharmacyId);

/// <summary>
/// A pharmacy registered by an admin, identified by its drug licence (Form 20/21) number; <see cref="FacilityId"/> is the
/// facility it dispenses for, when it is a facility's own (a spoke's pharmacy receives its spoke's prescriptions).
/// </summary>
public sealed record Pharmacy(Guid Id, string Name, string LicenceNumber, string District, string State, DateTimeOffset RegisteredAt, Guid? FacilityId = null);

/// <summary>A health facility; <see cref="Hfr"/> says whether the HFR knew its ID when it was registered.</summary>
public sealed record Facility(Guid Id, string HfrId, string Name, string District, string State, DateTimeOffset RegisteredAt, RegistryCheck? Hfr = null);

/// <summary>
/// A refresh token, stored only as its hash. Rotated on every use; reuse revokes its whole family. A guardian acting for
/// a dependant holds tokens of the dependant's account (<see cref="AccountId"/>) with themselves as <see cref="ActorId"/>,
/// in the family of their own sign-in, so ending that sign-in ends the acting too.
/// </summary>
public sealed record RefreshTokenRecord(
    string Id,
    Guid AccountId,
    Role Role,
    Guid FamilyId,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? UsedAt = null,
    DateTimeOffset? RevokedAt = null,
    Guid? ActorId = null);

/// <summary>The one-time code challenge of a mobile number, keyed by that number.</summary>
public sealed record OtpChallengeDocument(string Id, OtpChallenge Challenge);
