using Telemed.Domain.Identity;

namespace Telemed.Server.Identity;

/// <summary>A patient as they (or their guardian) see themselves; a dependant carries their guardian and how the guardian is related.</summary>
public sealed record PatientView(
    Guid Id, string Role, string Name, int YearOfBirth, DateOnly? DateOfBirth, Sex Sex, string Mobile, string? AbhaNumber, string? AbhaAddress,
    string Language, string? Email, Guid? GuardianId, Relation? GuardianRelation)
{
    public static PatientView Of(PatientAccount patient) => new(
        patient.Id, Roles.Patient, patient.Name, patient.YearOfBirth, patient.DateOfBirth, patient.Sex, patient.Mobile, patient.AbhaNumber, patient.AbhaAddress,
        patient.Language, patient.Email, patient.GuardianId, patient.GuardianRelation);
}

public sealed record StaffView(
    Guid Id, string Role, string Name, string Email, DoctorDetails? Doctor, PharmacistDetails? Pharmacist, bool Active, HealthWorkerDetails? HealthWorker = null)
{
    public static StaffView Of(StaffAccount staff) =>
        new(staff.Id, Roles.Name(staff.Role), staff.Name, staff.Email, staff.Doctor, staff.Pharmacist, staff.Active, staff.HealthWorker);
}

/// <summary>What patients may see of a doctor when choosing an OPD: professional identity, no contact details.</summary>
public sealed record DoctorListing(
    Guid Id, string Name, string Qualification, string? Specialty, string HprId, string RegistrationNumber, string StateCouncil, bool HprVerified)
{
    public static DoctorListing Of(StaffAccount doctor) => new(
        doctor.Id, doctor.Name, doctor.Doctor!.Qualification, doctor.Doctor.Specialty, doctor.Doctor.HprId, doctor.Doctor.RegistrationNumber,
        doctor.Doctor.StateCouncil, doctor.Doctor.Hpr?.Verified == true);
}
