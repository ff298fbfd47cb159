using System.Net.Http.Json;
using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Telemed.Domain.Abdm;
using Telemed.Domain.Consultations;
using Telemed.Domain.Identity;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Abdm;
using Telemed.Server.Consultations;
using Telemed.Server.Documents;
using Telemed.Server.Prescriptions;
using Telemed.Server.Records;

namespace Telemed.Benchmarks;

/// <summary>
/// Telemed as HIP answering a health-information request for 100 care contexts: per care context, the OPConsultRecord
/// and the PrescriptionRecord (its A4 PDF rendered) built by the server's own builders, each encrypted with Fidelius
/// under the request's fresh key pair and a nonce of its own (<see cref="HipDataFlow.Page"/>, as a transfer does), and
/// each page POSTed to an HIU endpoint on loopback in this process. The database reads a transfer makes are not included.
/// Reported per care context (100 operations per invocation).
/// </summary>
[MemoryDiagnoser]
public class HipTransferBenchmarks : IDisposable
{
    private const int CareContexts = 100;
    private readonly ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly PdfFonts fonts = new(Options.Create(new PdfOptions()));
    private readonly HipDocuments documents;
    private readonly Consultation consultation;
    private readonly ClinicalParties parties;
    private readonly PrescriptionContent content;
    private readonly string keyId;
    private readonly string jws;
    private readonly FideliusKeys hiu = FideliusKeys.Generate();
    private readonly WebApplication receiver;
    private readonly HttpClient http = new();
    private readonly Uri pushUrl;

    public HipTransferBenchmarks()
    {
        var options = Options.Create(new PrescriptionOptions { PublicBaseUrl = "https://telemed.example.in" });
        documents = new HipDocuments(null!, new PrescriptionPdf(fonts), options);
        keyId = Jwk.Thumbprint(key);
        var id = Guid.NewGuid();
        var doctor = Guid.NewGuid();
        var patient = Guid.NewGuid();
        var start = DateTimeOffset.UtcNow.AddMinutes(-20);
        var medicines = new PrescribedMedicine[]
        {
            new("paracetamol", "500 mg", "tablet", "1 tablet", "1-0-1", "oral", 3, 6, "दिन में दो बार खाने के बाद", TpgGroup.O, MedicinePurpose.Start),
            new("amoxicillin", "500 mg", "capsule", "1 capsule", "TDS", "oral", 5, 15, null, TpgGroup.A, MedicinePurpose.Start),
            new("cetirizine", "10 mg", "tablet", "1 tablet", "0-0-1", "oral", 5, 5, "Night", TpgGroup.O, MedicinePurpose.Start),
        };
        consultation = new IConsultationEvent[]
            {
                new ConsultationStarted(id, Guid.NewGuid(), 7, doctor, patient, start),
                new PatientCameraReported(id, true, patient, start.AddMinutes(1)),
                new CallConnected(id, patient, start.AddMinutes(1)),
                new VitalsRecorded(id, new Vitals(128, 84, 88, 38.4m, 97, 61.5m), doctor, start.AddMinutes(3)),
                new NotesRecorded(id, new ClinicalNotes("Fever and sore throat for 2 days", null, "Throat congested", "CBC if fever persists",
                    "Warm fluids, rest", null), doctor, start.AddMinutes(6)),
                new DiagnosisRecorded(id, new Diagnosis("Acute pharyngitis", new CodedConcept(ClinicalRules.Icd10, "J02.9")), doctor, start.AddMinutes(8)),
                new MedicinesPrescribed(id, ConsultKind.FirstConsult, medicines, doctor, start.AddMinutes(10)),
                new ConsultationCompleted(id, doctor, start.AddMinutes(12)),
            }
            .Aggregate((Consultation?)null, Consultation.Evolve)!;
        parties = new ClinicalParties(new FacilityDetails(Guid.NewGuid(), "PHC Rampur", "IN2710000001"),
            new PrescriberDetails(doctor, "Dr. Asha Verma", "MBBS, MD (General Medicine)", "KMC-12345", "Karnataka Medical Council", "71-1234-5678-9012"),
            new PatientDetails(patient, "सुनीता देवी", 42, Sex.Female, "91-2345-6789-0123", "sunita@sbx"), new PatientContact(new DateOnly(1984, 3, 9), "+919812345670"));
        content = PrescriptionRules.Compose(consultation, Guid.NewGuid(), parties.Facility, parties.Doctor, parties.Patient, start.AddMinutes(12)).Value!;
        jws = PrescriptionSignature.Sign(content, keyId, key);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        receiver = builder.Build();
        receiver.MapPost("/data-push", async (HttpRequest request) =>
        {
            await request.Body.CopyToAsync(Stream.Null);
            return Results.Accepted();
        });
        receiver.StartAsync().GetAwaiter().GetResult();
        pushUrl = new Uri(new Uri(receiver.Urls.First()), "/data-push");
    }

    [Benchmark(Description = "Build, encrypt and push one care context (of 100)", OperationsPerInvoke = CareContexts)]
    public async Task Transfer()
    {
        var sealer = FideliusKeys.Generate().For(hiu.PublicKey, hiu.Nonce);
        var transactionId = Guid.NewGuid().ToString();
        var page = 0;
        for (var i = 0; i < CareContexts; i++)
        {
            foreach (var document in new[] { HipDocuments.OpConsultation(consultation, parties), documents.Prescription(content, parties.PatientContact, keyId, jws) })
            {
                var body = HipDataFlow.Page(document, sealer, transactionId, ++page, 2 * CareContexts, consultation.Id.ToString(), DateTimeOffset.UtcNow);
                using var response = await http.PostAsJsonAsync(pushUrl, body);
                response.EnsureSuccessStatusCode();
            }
        }
    }

    [Benchmark(Description = "Build only: OPConsultRecord + PrescriptionRecord with PDF (of 100)", OperationsPerInvoke = CareContexts)]
    public int Build()
    {
        var length = 0;
        for (var i = 0; i < CareContexts; i++)
        {
            length += HipDocuments.OpConsultation(consultation, parties).Json.Length + documents.Prescription(content, parties.PatientContact, keyId, jws).Json.Length;
        }
        return length;
    }

    [Benchmark(Description = "Build and encrypt, no push (of 100)", OperationsPerInvoke = CareContexts)]
    public int BuildAndEncrypt()
    {
        var sealer = FideliusKeys.Generate().For(hiu.PublicKey, hiu.Nonce);
        var length = 0;
        for (var i = 0; i < CareContexts; i++)
        {
            foreach (var document in new[] { HipDocuments.OpConsultation(consultation, parties), documents.Prescription(content, parties.PatientContact, keyId, jws) })
            {
                length += HipDataFlow.Page(document, sealer, "t", 1, 1, "c", DateTimeOffset.UtcNow).Count;
            }
        }
        return length;
    }

    public void Dispose()
    {
        receiver.StopAsync().GetAwaiter().GetResult();
        ((IDisposable)receiver).Dispose();
        http.Dispose();
        key.Dispose();
        fonts.Dispose();
        GC.SuppressFinalize(this);
    }
}
