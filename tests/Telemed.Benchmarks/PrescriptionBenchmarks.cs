using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Options;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Documents;
using Telemed.Server.Prescriptions;
using Telemed.Server.Records;

namespace Telemed.Benchmarks;

/// <summary>What completing a consultation costs (sign, PDF, FHIR) and what a pharmacy's check costs (verify).</summary>
[MemoryDiagnoser]
public class PrescriptionBenchmarks : IDisposable
{
    private const string Url = "https://telemed.example.in/verify/0193a000-0000-7000-8000-0000000000aa";
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly PdfFonts fonts = new(Options.Create(new PdfOptions()));
    private readonly PrescriptionPdf pdf;
    private readonly PrescriptionContent content;
    private readonly string keyId;
    private readonly string jws;

    public PrescriptionBenchmarks()
    {
        pdf = new PrescriptionPdf(fonts);
        keyId = Jwk.Thumbprint(key);
        var line = new PrescribedMedicine("paracetamol", "500 mg", "tablet", "1 tablet", "1-0-1", "oral", 3, 6, "दिन में दो बार खाने के बाद", TpgGroup.O, MedicinePurpose.Start);
        content = new PrescriptionContent(Guid.NewGuid(), Guid.NewGuid(), DateTimeOffset.UtcNow, DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30),
            ConsultKind.FirstConsult, ConsultationMedium.Video, new FacilityDetails(Guid.NewGuid(), "PHC Rampur", "IN2710000001"),
            new PrescriberDetails(Guid.NewGuid(), "Dr. Asha Verma", "MBBS, MD (General Medicine)", "KMC-12345", "Karnataka Medical Council", "71-1234-5678-9012"),
            new PatientDetails(Guid.NewGuid(), "सुनीता देवी", 42, Sex.Female, "91-2345-6789-0123", null),
            "Fever and sore throat for 2 days", new Diagnosis("Acute pharyngitis", new CodedConcept("icd10", "J02.9")),
            [line, line with { Generic = "amoxicillin", Form = "capsule", Frequency = "TDS", Quantity = 15, Group = TpgGroup.A, Instructions = null },
             line with { Generic = "cetirizine", Strength = "10 mg", Frequency = "0-0-1", Quantity = 5, Instructions = "Night" }],
            "CBC if fever persists", "Warm fluids, rest", null);
        jws = PrescriptionSignature.Sign(content, keyId, key);
    }

    [Benchmark(Description = "Sign (canonical JSON + ES256)")]
    public string Sign() => PrescriptionSignature.Sign(content, keyId, key);

    [Benchmark(Description = "Verify JWS (pharmacy check)")]
    public bool Verify() => PrescriptionSignature.Verify(jws, _ => key).IsSuccess;

    [Benchmark(Description = "Render A4 PDF (3 medicines, Hindi, QR)")]
    public byte[] RenderPdf() => pdf.Render(content, Url, keyId);

    [Benchmark(Description = "Sign + PDF + PrescriptionRecord FHIR JSON")]
    public string Complete()
    {
        var signed = PrescriptionSignature.Sign(content, keyId, key);
        return FhirDocuments.ToJson(FhirDocuments.PrescriptionRecord(content, new PatientContact(null, "+919812345670"), pdf.Render(content, Url, keyId), signed));
    }

    public void Dispose()
    {
        key.Dispose();
        fonts.Dispose();
        GC.SuppressFinalize(this);
    }
}
