using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain.Abdm;
using Telemed.Domain.Consultations;
using Telemed.Server.Consultations;
using Telemed.Server.Prescriptions;
using Telemed.Server.Records;

namespace Telemed.Server.Abdm;

/// <summary>One FHIR document of a care context, as sent to an HIU: its type and its JSON.</summary>
public sealed record HipDocument(string HiType, string Json);

/// <summary>
/// The FHIR documents Telemed holds for a care context (one completed consultation), built by the same builders that
/// serve them to the patient: its OPConsultRecord and, if it ended with a signed prescription, its PrescriptionRecord.
/// </summary>
public sealed class HipDocuments(ConsultationService consultations, PrescriptionPdf pdf, IOptions<PrescriptionOptions> prescriptionOptions)
{
    /// <summary>The documents of the given types; none for a consultation that is not completed.</summary>
    public async Task<IReadOnlyList<HipDocument>> Build(IQuerySession session, CareContext careContext, IReadOnlyCollection<string> hiTypes, CancellationToken cancellationToken)
    {
        var documents = new List<HipDocument>();
        if (careContext.Status != ConsultationStatus.Completed)
        {
            return documents;
        }
        if (hiTypes.Contains(HiTypes.OpConsultation) && await consultations.Load(careContext.Id, cancellationToken) is { EndedAt: { } endedAt } consultation)
        {
            documents.Add(OpConsultation(consultation, await ClinicalParties.Load(session, consultation, endedAt, cancellationToken),
                await AllergyEndpoints.AsOf(session, consultation.PatientId, endedAt, cancellationToken)));
        }
        if (hiTypes.Contains(HiTypes.Prescription) && careContext.PrescriptionId is { } prescriptionId
            && await PrescriptionEndpoints.Load(session, prescriptionId, cancellationToken) is { } prescription)
        {
            documents.Add(Prescription(prescription.Content, await PatientContact.Load(session, careContext.PatientId, cancellationToken), prescription.KeyId, prescription.Jws));
        }
        return documents;
    }

    /// <summary>How many documents <see cref="Build"/> gives for the care context.</summary>
    public static int Count(CareContext careContext, IReadOnlyCollection<string> hiTypes) =>
        careContext.Status != ConsultationStatus.Completed ? 0
        : (hiTypes.Contains(HiTypes.OpConsultation) ? 1 : 0) + (hiTypes.Contains(HiTypes.Prescription) && careContext.PrescriptionId is not null ? 1 : 0);

    /// <summary>A completed consultation's OPConsultRecord, dated when it ended.</summary>
    public static HipDocument OpConsultation(Consultation consultation, ClinicalParties parties, IReadOnlyList<Domain.Records.Allergy>? allergies = null) =>
        new(HiTypes.OpConsultation, FhirDocuments.ToJson(FhirDocuments.OpConsultRecord(consultation, parties.Facility, parties.Spoke, parties.Doctor, parties.Patient,
            parties.PatientContact, consultation.EndedAt!.Value, allergies)));

    /// <summary>A signed prescription's PrescriptionRecord, with its PDF rendered as the patient gets it.</summary>
    public HipDocument Prescription(Domain.Prescriptions.PrescriptionContent content, PatientContact contact, string? keyId, string jws)
    {
        var signedPdf = pdf.Render(content, prescriptionOptions.Value.VerificationUrl(content.PrescriptionId), keyId, jws, contact.Language);
        return new(HiTypes.Prescription, FhirDocuments.ToJson(FhirDocuments.PrescriptionRecord(content, contact, signedPdf, jws)));
    }
}
