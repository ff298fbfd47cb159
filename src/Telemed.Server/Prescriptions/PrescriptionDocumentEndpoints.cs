using System.Security.Claims;
using Marten;
using Microsoft.Extensions.Options;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Identity;
using Telemed.Server.Infrastructure;
using Telemed.Server.Records;

namespace Telemed.Server.Prescriptions;

/// <summary>A signed prescription as the patient's health record: its A4 PDF and its FHIR PrescriptionRecord, every read audited.</summary>
public static class PrescriptionDocumentEndpoints
{
    public static void MapPrescriptionDocuments(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/prescriptions/{prescriptionId:guid}/pdf", Pdf).WithTags("Health records")
            .WithSummary("The signed prescription as an A4 PDF with its verification QR code (audited).");
        app.MapGet("/api/prescriptions/{prescriptionId:guid}/fhir", PrescriptionFhir).WithTags("Health records")
            .WithSummary("PrescriptionRecord FHIR document with the signed PDF and the JWS (audited).");
    }

    private static Task<IResult> Pdf(Guid prescriptionId, ClaimsPrincipal user, IQuerySession db, HealthRecords records, PrescriptionPdf pdf,
        IOptions<PrescriptionOptions> options, CancellationToken cancellationToken) =>
        WithPrescriptionPdf(prescriptionId, "pdf", user, db, records, pdf, options,
            (_, _, document) => Task.FromResult<IResult>(TypedResults.File(document, "application/pdf", $"prescription-{prescriptionId}.pdf")), cancellationToken);

    private static Task<IResult> PrescriptionFhir(Guid prescriptionId, ClaimsPrincipal user, IQuerySession db, HealthRecords records, PrescriptionPdf pdf,
        IOptions<PrescriptionOptions> options, CancellationToken cancellationToken) =>
        WithPrescriptionPdf(prescriptionId, "fhir", user, db, records, pdf, options,
            (prescription, contact, document) => Task.FromResult<IResult>(TypedResults.Text(
                FhirDocuments.ToJson(FhirDocuments.PrescriptionRecord(prescription.Content, contact, document, prescription.Jws)), FhirDocuments.MediaType)),
            cancellationToken);

    /// <summary>
    /// Loads the prescription, records the read (or refuses it), renders its signed PDF with labels in the patient's
    /// language beside the English ones, and answers with it.
    /// </summary>
    private static async Task<IResult> WithPrescriptionPdf(
        Guid prescriptionId, string what, ClaimsPrincipal user, IQuerySession db, HealthRecords records, PrescriptionPdf pdf, IOptions<PrescriptionOptions> options,
        Func<Prescription, PatientContact, byte[], Task<IResult>> answer, CancellationToken cancellationToken)
    {
        var prescription = await PrescriptionEndpoints.Load(db, prescriptionId, cancellationToken);
        if (prescription is null)
        {
            return HealthRecords.NoAccess();
        }
        var content = prescription.Content;
        if (await records.Open(user.ActorId(), content.Patient.Id, content.Doctor.Id, $"prescription/{prescriptionId}/{what}", cancellationToken) is null)
        {
            return HealthRecords.NoAccess();
        }
        var contact = await PatientContact.Load(db, content.Patient.Id, cancellationToken);
        var rendered = pdf.Render(content, options.Value.VerificationUrl(prescriptionId), prescription.KeyId, prescription.Jws, contact.Language);
        return await answer(prescription, contact, rendered);
    }
}
