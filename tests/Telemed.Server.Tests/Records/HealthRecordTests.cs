using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain.Abdm;
using Telemed.Domain.Identity;
using Telemed.Server.Records;
using Telemed.Server.Tests.Consultations;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Records;

public class HealthRecordTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private const string Abha = "91-2345-6789-0123";
    private readonly string DeclaredAbha = Api.NewAbhaNumber();
    private const string Rahul = "rahul.nair@telemed.local";

    private TelemedFactory Host => server.Host;

    [Fact]
    public async System.Threading.Tasks.Task A_patient_lists_and_downloads_their_records_as_PDF_and_FHIR()
    {
        var patient = (await Host.CreatePatients(1, DeclaredAbha))[0];
        await Verified(patient, Abha);
        var (room, prescriptionId) = await Clinical.Prescribed(Host, patient);
        var client = Host.As(patient.AccessToken);

        var records = await client.GetFromJsonAsync<JsonElement>("/api/records");
        var entry = records.EnumerateArray().ShouldHaveSingleItem();
        entry.GetProperty("consultationId").GetGuid().ShouldBe(room.ConsultationId);
        entry.GetProperty("prescriptionId").GetGuid().ShouldBe(prescriptionId);
        entry.GetProperty("patientAbha").GetString().ShouldBe(Abha);
        entry.GetProperty("doctorName").GetString().ShouldNotBeNullOrWhiteSpace();

        var pdf = await client.GetAsync($"/api/prescriptions/{prescriptionId}/pdf");
        await pdf.ShouldHave(HttpStatusCode.OK);
        pdf.Content.Headers.ContentType!.MediaType.ShouldBe("application/pdf");
        var text = await PdfText(await pdf.Content.ReadAsByteArrayAsync());
        text.ShouldContain("Acute pharyngitis");
        text.ShouldContain(Abha);
        text.ShouldContain("दिन में दो बार खाने के बाद");

        var prescriptionBundle = await Bundle(client, $"/api/prescriptions/{prescriptionId}/fhir");
        FhirDocuments.Problems(prescriptionBundle).ShouldBeEmpty();
        NrcesValidator.DocumentErrorsIfPackaged(prescriptionBundle).ShouldBeEmpty();
        prescriptionBundle.Entry.Select(e => e.Resource).OfType<MedicationRequest>().Count().ShouldBe(2);
        prescriptionBundle.Entry.Select(e => e.Resource).OfType<Binary>().ShouldHaveSingleItem().ContentType.ShouldBe("application/pdf");

        var consultBundle = await Bundle(client, $"/api/consultations/{room.ConsultationId}/fhir");
        FhirDocuments.Problems(consultBundle).ShouldBeEmpty();
        NrcesValidator.DocumentErrorsIfPackaged(consultBundle).ShouldBeEmpty();
        var composition = consultBundle.Entry[0].Resource.ShouldBeOfType<Composition>();
        composition.Type.Coding[0].Code.ShouldBe("371530004");
        var fhirPatient = consultBundle.Entry.Select(e => e.Resource).OfType<Patient>().ShouldHaveSingleItem();
        fhirPatient.Identifier.ShouldContain(i => i.System == "https://healthid.ndhm.gov.in" && i.Value == Abha);
        fhirPatient.Identifier.ShouldNotContain(i => i.Value == DeclaredAbha);
        text.ShouldNotContain(DeclaredAbha);
    }

    [Fact]
    public async System.Threading.Tasks.Task An_abha_the_patient_only_declared_is_in_none_of_their_records()
    {
        var patient = (await Host.CreatePatients(1, DeclaredAbha))[0];
        var (room, prescriptionId) = await Clinical.Prescribed(Host, patient);
        var client = Host.As(patient.AccessToken);

        var entry = (await client.GetFromJsonAsync<JsonElement>("/api/records")).EnumerateArray().ShouldHaveSingleItem();
        entry.GetProperty("patientAbha").ValueKind.ShouldBe(JsonValueKind.Null);
        (await PdfText(await client.GetByteArrayAsync($"/api/prescriptions/{prescriptionId}/pdf"))).ShouldNotContain(DeclaredAbha);
        foreach (var path in new[] { $"/api/prescriptions/{prescriptionId}/fhir", $"/api/consultations/{room.ConsultationId}/fhir" })
        {
            var fhirPatient = (await Bundle(client, path)).Entry.Select(e => e.Resource).OfType<Patient>().ShouldHaveSingleItem();
            fhirPatient.Identifier.ShouldNotContain(i => i.System == "https://healthid.ndhm.gov.in");
        }
    }

    /// <summary>The ABHA as ABDM's verification leaves it (that flow is tested against the simulator in the ABDM tests).</summary>
    private async System.Threading.Tasks.Task Verified(TestPatient patient, string number)
    {
        await using var session = Host.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        var profile = new AbhaProfile(number, null, "Test Patient 0", Sex.Female, 1960, null, null);
        session.Store(new PatientAbha(patient.Id, profile, AbhaProof.MobileOtp, DateTimeOffset.UtcNow));
        await session.SaveChangesAsync();
    }

    [Fact]
    public async System.Threading.Tasks.Task Another_patient_gets_none_of_it_and_the_attempt_is_audited()
    {
        var (room, prescriptionId) = await Clinical.Prescribed(Host);
        var stranger = Host.As((await Host.CreatePatients(1))[0].AccessToken);

        await (await stranger.GetAsync($"/api/prescriptions/{prescriptionId}/pdf")).ShouldHave(HttpStatusCode.NotFound);
        await (await stranger.GetAsync($"/api/prescriptions/{prescriptionId}/fhir")).ShouldHave(HttpStatusCode.NotFound);
        await (await stranger.GetAsync($"/api/consultations/{room.ConsultationId}/fhir")).ShouldHave(HttpStatusCode.NotFound);
        (await stranger.GetFromJsonAsync<JsonElement>("/api/records")).GetArrayLength().ShouldBe(0);
        await (await stranger.GetAsync($"/api/patients/{room.Patient.Id}/records")).ShouldHave(HttpStatusCode.Forbidden);
    }

    /// <summary>A refusal reads exactly like a miss, so nobody learns which patient, consultation or prescription ids exist.</summary>
    [Fact]
    public async System.Threading.Tasks.Task A_doctor_without_access_cannot_tell_an_existing_record_from_a_missing_one()
    {
        var (room, prescriptionId) = await Clinical.Prescribed(Host);
        var rahul = Host.As((await Host.SignInStaff(Rahul)).AccessToken);

        foreach (var (existing, missing) in new[]
        {
            ($"/api/patients/{room.Patient.Id}/records", $"/api/patients/{Guid.NewGuid()}/records"),
            ($"/api/consultations/{room.ConsultationId}/fhir", $"/api/consultations/{Guid.NewGuid()}/fhir"),
            ($"/api/prescriptions/{prescriptionId}/pdf", $"/api/prescriptions/{Guid.NewGuid()}/pdf"),
        })
        {
            var refused = await rahul.GetAsync(existing);
            var absent = await rahul.GetAsync(missing);
            refused.StatusCode.ShouldBe(HttpStatusCode.NotFound, existing);
            absent.StatusCode.ShouldBe(refused.StatusCode, existing);
            Without((await absent.Problem()).GetRawText()).ShouldBe(Without((await refused.Problem()).GetRawText()), existing);
        }
    }

    /// <summary>A problem body without its per-request trace id.</summary>
    private static string Without(string problem) => System.Text.RegularExpressions.Regex.Replace(problem, "\"traceId\":\"[^\"]*\"", "");

    [Fact]
    public async System.Threading.Tasks.Task Another_doctor_reads_a_patients_records_only_with_consent_and_every_read_is_logged()
    {
        var (room, _) = await Clinical.Prescribed(Host);
        var patient = Host.As(room.Patient.AccessToken);
        var rahul = await Sessions.Doctor(Host, Rahul);
        var rahulId = Telemed.Server.Identity.DemoSeeder.DoctorRahulId;

        await (await rahul.GetAsync($"/api/patients/{room.Patient.Id}/records")).ShouldHave(HttpStatusCode.NotFound);
        await (await rahul.GetAsync($"/api/consultations/{room.ConsultationId}/fhir")).ShouldHave(HttpStatusCode.NotFound);

        await (await patient.PostAsJsonAsync("/api/records/consents", new { doctorId = rahulId, days = 0 })).ShouldHave(HttpStatusCode.BadRequest);
        await (await patient.PostAsJsonAsync("/api/records/consents", new { doctorId = rahulId, days = 7 })).ShouldHave(HttpStatusCode.OK);
        (await patient.GetFromJsonAsync<JsonElement>("/api/records/consents")).EnumerateArray().ShouldHaveSingleItem()
            .GetProperty("doctorId").GetGuid().ShouldBe(rahulId);
        (await rahul.GetFromJsonAsync<JsonElement>($"/api/patients/{room.Patient.Id}/records")).GetArrayLength().ShouldBe(1);
        await (await rahul.GetAsync($"/api/consultations/{room.ConsultationId}/fhir")).ShouldHave(HttpStatusCode.OK);

        await (await patient.DeleteAsync($"/api/records/consents/{rahulId}")).ShouldHave(HttpStatusCode.NoContent);
        await (await rahul.GetAsync($"/api/patients/{room.Patient.Id}/records")).ShouldHave(HttpStatusCode.NotFound);

        var log = (await patient.GetFromJsonAsync<JsonElement>("/api/records/access-log")).EnumerateArray().ToList();
        log.Count(e => e.GetProperty("readerId").GetGuid() == rahulId && e.GetProperty("basis").GetString() == "Consent").ShouldBe(2);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_patient_reads_every_grant_and_withdrawal_of_access_to_their_records_and_nobody_else_does()
    {
        var (patient, other) = (await Host.CreatePatients(2)) switch { var p => (p[0], p[1]) };
        var client = Host.As(patient.AccessToken);
        var rahulId = Telemed.Server.Identity.DemoSeeder.DoctorRahulId;
        (await client.GetFromJsonAsync<JsonElement>("/api/records/consents/history")).GetArrayLength().ShouldBe(0);

        await (await client.PostAsJsonAsync("/api/records/consents", new { doctorId = rahulId, days = 7 })).ShouldHave(HttpStatusCode.OK);
        await (await client.DeleteAsync($"/api/records/consents/{rahulId}")).ShouldHave(HttpStatusCode.NoContent);
        // Withdrawing what is no longer granted changes nothing, and adds nothing to the history.
        await (await client.DeleteAsync($"/api/records/consents/{rahulId}")).ShouldHave(HttpStatusCode.NoContent);
        await (await client.PostAsJsonAsync("/api/records/consents", new { doctorId = rahulId, days = 30 })).ShouldHave(HttpStatusCode.OK);
        await (await Host.As(other.AccessToken).PostAsJsonAsync("/api/records/consents", new { doctorId = rahulId, days = 3 })).ShouldHave(HttpStatusCode.OK);

        var history = (await client.GetFromJsonAsync<JsonElement>("/api/records/consents/history")).EnumerateArray().ToList();
        history.Select(c => c.GetProperty("change").GetString()).ShouldBe(["granted", "withdrawn", "granted"]);
        history.ShouldAllBe(c => c.GetProperty("doctorId").GetGuid() == rahulId && c.GetProperty("doctorName").GetString() == "Dr. Rahul Nair");
        var (latest, first) = (history[0].GetProperty("until").GetDateTimeOffset(), history[2].GetProperty("until").GetDateTimeOffset());
        (latest - first).ShouldBeGreaterThan(TimeSpan.FromDays(22));
        history[1].GetProperty("until").ValueKind.ShouldBe(JsonValueKind.Null);

        (await Host.As(other.AccessToken).GetFromJsonAsync<JsonElement>("/api/records/consents/history")).GetArrayLength().ShouldBe(1);
        await (await (await Sessions.Doctor(Host, Rahul)).GetAsync("/api/records/consents/history")).ShouldHave(HttpStatusCode.Forbidden);
        await (await Host.CreateClient().GetAsync("/api/records/consents/history")).ShouldHave(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async System.Threading.Tasks.Task A_doctor_sees_the_records_of_the_patient_in_their_open_consultation()
    {
        var (first, _) = await Clinical.Prescribed(Host);
        var again = await Room.Start(Host, first.Patient);
        var doctor = Host.As(again.DoctorToken);

        (await doctor.GetFromJsonAsync<JsonElement>($"/api/patients/{first.Patient.Id}/records")).GetArrayLength().ShouldBe(2);
        await (await doctor.GetAsync($"/api/consultations/{again.ConsultationId}/fhir")).ShouldHave(HttpStatusCode.Conflict);

        var log = await Host.As(first.Patient.AccessToken).GetFromJsonAsync<JsonElement>("/api/records/access-log");
        log.EnumerateArray().ShouldContain(e => e.GetProperty("basis").GetString() == "InConsultation");
    }

    [Fact]
    public async System.Threading.Tasks.Task The_doctor_reading_the_clinical_record_during_the_consultation_is_in_the_patients_access_log()
    {
        var room = await Room.Start(Host, (await Host.CreatePatients(1))[0]);

        await (await Host.As(room.DoctorToken).GetAsync($"/api/consultations/{room.ConsultationId}/record")).ShouldHave(HttpStatusCode.OK);

        var log = await Host.As(room.Patient.AccessToken).GetFromJsonAsync<JsonElement>("/api/records/access-log");
        var read = log.EnumerateArray().ShouldHaveSingleItem();
        read.GetProperty("readerId").GetGuid().ShouldBe(Telemed.Server.Identity.DemoSeeder.DoctorAshaId);
        read.GetProperty("resource").GetString().ShouldBe($"consultation/{room.ConsultationId}/record");
    }

    private static async Task<Bundle> Bundle(HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        await response.ShouldHave(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/fhir+json");
        return new FhirJsonDeserializer(new DeserializerSettings()).Deserialize<Bundle>(await response.Content.ReadAsStringAsync());
    }

    private static async Task<string> PdfText(byte[] pdf)
    {
        var path = Path.Combine(Path.GetTempPath(), $"telemed-{Guid.NewGuid():N}.pdf");
        try
        {
            await File.WriteAllBytesAsync(path, pdf);
            return await Tool.Text("pdftotext", "-enc", "UTF-8", path, "-");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
