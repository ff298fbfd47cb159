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
            var parties = await ClinicalParties.Load(session, consultation, endedAt, cancellationToken);
            documents.Add(new(HiTypes.OpConsultation, FhirDocuments.ToJson(FhirDocuments.OpConsultRecord(consultation, parties.Facility, parties.Doctor, parties.Patient, endedAt))));
        }
        if (hiTypes.Contains(HiTypes.Prescription) && careContext.PrescriptionId is { } prescriptionId
            && await PrescriptionEndpoints.Load(session, prescriptionId, cancellationToken) is { } prescription)
        {
            var signedPdf = pdf.Render(prescription.Content, prescriptionOptions.Value.VerificationUrl(prescriptionId), prescription.KeyId, prescription.Jws);
            documents.Add(new(HiTypes.Prescription, FhirDocuments.ToJson(FhirDocuments.PrescriptionRecord(prescription.Content, signedPdf, prescription.Jws))));
        }
        return documents;
    }
}
