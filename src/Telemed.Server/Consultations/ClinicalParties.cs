using Marten;
using Telemed.Domain.Abdm;
using Telemed.Domain.Consultations;
using Telemed.Domain.Prescriptions;
using Telemed.Domain.Queue;
using Telemed.Server.Identity;
using Telemed.Server.Queue;
using Telemed.Server.Records;

namespace Telemed.Server.Consultations;

/// <summary>
/// Who a consultation's record names: the facility of its OPD session, its doctor and its patient, as they are now, and
/// the spoke the patient was brought in at when a health worker assisted. A record carries only the ABHA the patient
/// proved through ABDM, never one they merely declared.
/// </summary>
public sealed record ClinicalParties(
    FacilityDetails Facility, PrescriberDetails Doctor, PatientDetails Patient, PatientContact PatientContact, FacilityDetails? Spoke = null)
{
    public static async Task<ClinicalParties> Load(IQuerySession session, Consultation consultation, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var opd = await session.LoadAsync<SessionListing>(consultation.SessionId, cancellationToken)
            ?? throw new InvalidOperationException($"Consultation {consultation.Id} belongs to a session that was never opened.");
        var facility = await session.LoadAsync<Facility>(opd.FacilityId, cancellationToken)
            ?? throw new InvalidOperationException($"OPD session {opd.Id} names an unknown facility.");
        var doctor = await session.LoadAsync<StaffAccount>(consultation.DoctorId, cancellationToken);
        var patient = await session.LoadAsync<PatientAccount>(consultation.PatientId, cancellationToken)
            ?? throw new InvalidOperationException($"Consultation {consultation.Id} names an unknown patient.");
        var details = doctor?.Doctor ?? throw new InvalidOperationException($"Consultation {consultation.Id} names an account that is not a doctor.");
        FacilityDetails? spoke = null;
        if (consultation.HealthWorker is { } assisting)
        {
            var registered = await session.LoadAsync<Facility>(assisting.SpokeId, cancellationToken)
                ?? throw new InvalidOperationException($"Consultation {consultation.Id} names an unknown spoke.");
            spoke = new FacilityDetails(registered.Id, assisting.SpokeName, registered.HfrId);
        }
        return new ClinicalParties(
            new FacilityDetails(facility.Id, facility.Name, facility.HfrId, $"{facility.District}, {facility.State}"),
            new PrescriberDetails(doctor.Id, doctor.Name, details.Qualification, details.RegistrationNumber, details.StateCouncil, details.HprId, doctor.Email),
            await PatientAsOf(session, patient, now, cancellationToken),
            PatientContact.Of(patient),
            spoke);
    }

    /// <summary>The patient as registered: age on the given day, sex, and the ABHA they proved through ABDM (none if they only declared one).</summary>
    public static async Task<PatientDetails> PatientAsOf(IQuerySession session, PatientAccount patient, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var abha = (await session.LoadAsync<PatientAbha>(patient.Id, cancellationToken))?.Profile;
        return new(patient.Id, patient.Name, PrescriptionRules.AgeOn(DateOnly.FromDateTime(now.UtcDateTime), patient.YearOfBirth, patient.DateOfBirth),
            patient.Sex, abha?.Number, abha?.Address);
    }
}
