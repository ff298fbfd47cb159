using System.Security.Claims;
using Marten;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Records;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;

namespace Telemed.Server.Records;

/// <summary>
/// Decides whether someone may read a patient's records and writes every read (and every refusal) to the event store:
/// reads on the patient's own stream, so the patient can see who looked; refusals on the caller's.
/// </summary>
public sealed class HealthRecords(IDocumentStore store, AuditTrail audit, TimeProvider time)
{
    /// <summary>
    /// Null when the reader may not; otherwise the read is recorded before the caller answers. The reader is the person
    /// (<see cref="CallerExtensions.ActorId"/>): a guardian acting for a dependant reads as the guardian.
    /// </summary>
    public async Task<RecordAccessBasis?> Open(Guid readerId, Guid patientId, Guid? authorId, string resource, CancellationToken cancellationToken)
    {
        await using var session = store.QuerySession();
        var now = time.GetUtcNow();
        // The patient and the record's author need no lookup; anyone else is the patient's guardian or needs an open
        // consultation or a consent.
        var another = readerId != patientId && readerId != authorId;
        var guardianOfPatient = another ? (await session.LoadAsync<PatientAccount>(patientId, cancellationToken))?.GuardianId : null;
        var doctor = another && !Family.IsGuardian(readerId, guardianOfPatient);
        var inConsultation = doctor && await session.Query<CareContext>()
            .AnyAsync(c => c.PatientId == patientId && c.DoctorId == readerId && c.Status == ConsultationStatus.Open, cancellationToken);
        var consent = doctor && !inConsultation
            ? (await session.LoadAsync<ConsentDocument>(ConsentDocument.Key(patientId, readerId), cancellationToken))?.Consent
            : null;
        if (RecordAccess.Basis(readerId, patientId, authorId, inConsultation, consent, now, guardianOfPatient) is not { } basis)
        {
            await audit.Refused(readerId, resource, "read health record", cancellationToken);
            return null;
        }
        await Logged(readerId, patientId, basis, resource, cancellationToken);
        return basis;
    }

    /// <summary>Records the caller's read of their own record: theirs, or their guardian's when the guardian acts for them.</summary>
    public Task LoggedOwn(ClaimsPrincipal caller, Guid patientId, string resource, CancellationToken cancellationToken) =>
        Logged(caller.ActorId(), patientId, caller.ActingGuardianId() is null ? RecordAccessBasis.Self : RecordAccessBasis.Guardian, resource, cancellationToken);

    /// <summary>Records, on the patient's access log, a read the endpoint's own rules allowed (an attachment, a consultation's history).</summary>
    public Task Logged(Guid readerId, Guid patientId, RecordAccessBasis basis, string resource, CancellationToken cancellationToken, string? reason = null) =>
        Journal.Save(store, journal => journal.Events.Append(patientId, new RecordRead(patientId, readerId, basis.ToString(), resource, time.GetUtcNow(), reason)),
            cancellationToken);

    /// <summary>
    /// The answer both for a record that does not exist and for one the reader may not see (neither a consultation with
    /// the patient nor their consent): the same status and body, so a stranger cannot tell ids that exist from ones that do not.
    /// </summary>
    public static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult NoAccess() => Problems.NotFound(
        "There is no such record, or it is not open to you: a patient's records are open to their doctor only while they are in the consultation or with their consent.");
}
