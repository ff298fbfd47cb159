using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Telemed.Domain.Prescriptions;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Dispensing;

public class DispensingTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private const string PharmacistEmail = "meena.iyer@telemed.local";

    private TelemedFactory Host => server.Host;

    private async Task<HttpClient> Pharmacist() => Host.As((await Host.SignInStaff(PharmacistEmail)).AccessToken);

    private static Task<HttpResponseMessage> Dispense(HttpClient client, Guid prescriptionId, Guid requestId, params object[] lines) =>
        client.PostAsJsonAsync($"/api/pharmacy/prescriptions/{prescriptionId}/dispensations", new { requestId, lines });

    [Fact]
    public async Task One_pharmacist_account_checking_at_several_counters_at_once_gets_every_verdict()
    {
        var (_, prescriptionId) = await Clinical.Prescribed(Host);
        var pharmacist = await Pharmacist();

        var checks = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => pharmacist.GetAsync($"/api/pharmacy/prescriptions/{prescriptionId}")));

        checks.Select(c => c.StatusCode).ShouldAllBe(status => status == HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_pharmacist_sees_only_what_dispensing_needs_and_each_read_is_on_the_patients_access_log()
    {
        var (room, prescriptionId) = await Clinical.Prescribed(Host);
        var pharmacist = await Pharmacist();

        var check = await pharmacist.GetStringAsync($"/api/pharmacy/prescriptions/{prescriptionId}");
        var list = await pharmacist.GetStringAsync("/api/pharmacy/prescriptions");
        await (await Dispense(pharmacist, prescriptionId, Guid.NewGuid(), new { line = 0, quantity = 1 })).ShouldHave(HttpStatusCode.OK);

        foreach (var answer in new[] { check, list })
        {
            foreach (var clinical in new[] { "pharyngitis", "J02.9", "Fever and sore throat", "Warm fluids", "CBC if fever" })
            {
                answer.ShouldNotContain(clinical, Case.Insensitive);
            }
        }
        var content = JsonDocument.Parse(check).RootElement.GetProperty("content");
        content.GetProperty("patient").GetProperty("ageYears").GetInt32().ShouldBeGreaterThan(0);
        content.GetProperty("patient").TryGetProperty("abhaNumber", out _).ShouldBeFalse();
        content.GetProperty("medicines").GetArrayLength().ShouldBe(2);
        content.GetProperty("doctor").GetProperty("name").GetString().ShouldNotBeNullOrWhiteSpace();

        var log = await Host.As(room.Patient.AccessToken).GetFromJsonAsync<JsonElement>("/api/records/access-log");
        log.EnumerateArray().Count(e => e.GetProperty("readerId").GetGuid() == Telemed.Server.Identity.DemoSeeder.PharmacistId
            && e.GetProperty("basis").GetString() == "Dispensing" && e.GetProperty("resource").GetString() == $"prescription/{prescriptionId}")
            .ShouldBe(3, "the check, the pharmacist's list and the dispense");
        log.EnumerateArray().First(e => e.GetProperty("basis").GetString() == "Dispensing").GetProperty("readerName").GetString().ShouldBe("Meena Iyer");
    }

    [Fact]
    public async Task Public_verification_is_limited_per_address_and_every_look_up_is_audited()
    {
        var (_, prescriptionId) = await Clinical.Prescribed(Host);
        using var strict = server.Start(new Dictionary<string, string?> { ["Security:VerificationPerMinute"] = "2" });
        var anyone = strict.CreateClient();
        var unknown = Guid.NewGuid();

        await (await anyone.GetAsync($"/api/verify/{prescriptionId}")).ShouldHave(HttpStatusCode.OK);
        await (await anyone.GetAsync($"/api/verify/{unknown}")).ShouldHave(HttpStatusCode.NotFound);
        await (await anyone.GetAsync($"/api/verify/{prescriptionId}")).ShouldHave(HttpStatusCode.TooManyRequests);

        var admin = Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);
        var found = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/audit?resource=prescription/{prescriptionId}&action=public");
        found.GetProperty("entries").EnumerateArray().ShouldHaveSingleItem().GetProperty("action").GetString().ShouldBe("public verification (Valid)");
        var missed = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/audit?resource=prescription/{unknown}");
        var entry = missed.GetProperty("entries").EnumerateArray().ShouldHaveSingleItem();
        entry.GetProperty("action").GetString().ShouldBe("public verification (unknown)");
        entry.GetProperty("outcome").GetString().ShouldBe("failure");
    }

    [Fact]
    public async Task A_pharmacist_verifies_dispenses_in_parts_and_is_stopped_at_the_prescribed_quantity()
    {
        var (room, prescriptionId) = await Clinical.Prescribed(Host);
        var pharmacist = await Pharmacist();

        var checkedView = await pharmacist.GetFromJsonAsync<JsonElement>($"/api/pharmacy/prescriptions/{prescriptionId}");
        checkedView.GetProperty("verdict").GetString().ShouldBe("valid");
        checkedView.GetProperty("content").GetProperty("doctor").GetProperty("registrationNumber").GetString().ShouldNotBeNullOrWhiteSpace();
        checkedView.GetProperty("lines")[1].GetProperty("remaining").GetInt32().ShouldBe(15);

        await (await Dispense(pharmacist, prescriptionId, Guid.NewGuid(), new { line = 1, quantity = 5, brand = "Mox 500", batch = "B123" })).ShouldHave(HttpStatusCode.OK);
        var rest = await Dispense(pharmacist, prescriptionId, Guid.NewGuid(), new { line = 1, quantity = 10 }, new { line = 0, quantity = 6, generic = "paracetamol" });
        await rest.ShouldHave(HttpStatusCode.OK);
        (await rest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("verdict").GetString().ShouldBe("fullyDispensed");

        var third = await Dispense(pharmacist, prescriptionId, Guid.NewGuid(), new { line = 0, quantity = 1 });
        await third.ShouldHave(HttpStatusCode.UnprocessableEntity);
        (await third.Problem()).GetProperty("code").GetString().ShouldBe("FullyDispensed");

        var patientView = await Host.As(room.Patient.AccessToken).GetFromJsonAsync<JsonElement>($"/api/prescriptions/{prescriptionId}");
        patientView.GetProperty("dispensed").EnumerateArray().Select(e => e.GetInt32()).ShouldBe([6, 15]);
        patientView.GetProperty("dispensations").GetArrayLength().ShouldBe(2);
        (await Host.As(room.DoctorToken).GetFromJsonAsync<JsonElement>($"/api/prescriptions/{prescriptionId}")).GetProperty("dispensations").GetArrayLength().ShouldBe(2);

        var mine = await pharmacist.GetFromJsonAsync<JsonElement>("/api/pharmacy/prescriptions");
        mine.EnumerateArray().ShouldContain(p => p.GetProperty("prescriptionId").GetGuid() == prescriptionId);
    }

    [Fact]
    public async Task Concurrent_dispenses_of_one_line_never_exceed_its_quantity()
    {
        var (_, prescriptionId) = await Clinical.Prescribed(Host);
        var pharmacist = await Pharmacist();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Dispense(pharmacist, prescriptionId, Guid.NewGuid(), new { line = 1, quantity = 2 })));

        attempts.Select(a => a.StatusCode).ShouldAllBe(s => s == HttpStatusCode.OK || s == HttpStatusCode.Conflict || s == HttpStatusCode.UnprocessableEntity);
        var succeeded = attempts.Count(a => a.StatusCode == HttpStatusCode.OK);
        var view = await pharmacist.GetFromJsonAsync<JsonElement>($"/api/pharmacy/prescriptions/{prescriptionId}");
        var dispensed = view.GetProperty("lines")[1].GetProperty("dispensed").GetInt32();
        dispensed.ShouldBe(succeeded * 2);
        dispensed.ShouldBeLessThanOrEqualTo(15);
        succeeded.ShouldBeGreaterThan(0);
        var conflict = attempts.FirstOrDefault(a => a.StatusCode == HttpStatusCode.Conflict);
        if (conflict is not null)
        {
            (await conflict.Problem()).GetProperty("current").GetProperty("prescriptionId").GetGuid().ShouldBe(prescriptionId);
        }
    }

    [Fact]
    public async Task A_retried_request_dispenses_once()
    {
        var (_, prescriptionId) = await Clinical.Prescribed(Host);
        var pharmacist = await Pharmacist();
        var requestId = Guid.NewGuid();

        await (await Dispense(pharmacist, prescriptionId, requestId, new { line = 0, quantity = 4 })).ShouldHave(HttpStatusCode.OK);
        var retried = await Dispense(pharmacist, prescriptionId, requestId, new { line = 0, quantity = 4 });

        await retried.ShouldHave(HttpStatusCode.OK);
        (await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lines")[0].GetProperty("dispensed").GetInt32().ShouldBe(4);
    }

    [Fact]
    public async Task Substituting_the_generic_or_dispensing_too_much_is_refused_with_the_reason()
    {
        var (_, prescriptionId) = await Clinical.Prescribed(Host);
        var pharmacist = await Pharmacist();

        var generic = await Dispense(pharmacist, prescriptionId, Guid.NewGuid(), new { line = 1, quantity = 5, generic = "azithromycin" });
        (await generic.Problem()).GetProperty("detail").GetString()!.ShouldContain("may not be substituted");
        var tooMuch = await Dispense(pharmacist, prescriptionId, Guid.NewGuid(), new { line = 0, quantity = 7 });
        (await tooMuch.Problem()).GetProperty("detail").GetString()!.ShouldContain("only 6 of 6 remain");
        await (await pharmacist.PostAsJsonAsync($"/api/pharmacy/prescriptions/{prescriptionId}/dispensations", new { lines = new[] { new { line = 0, quantity = 1 } } }))
            .ShouldHave(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_revoked_prescription_says_so_and_cannot_be_dispensed()
    {
        var (room, prescriptionId) = await Clinical.Prescribed(Host);
        await (await Host.As(room.DoctorToken).PostAsJsonAsync($"/api/prescriptions/{prescriptionId}/revoke", new { reason = "Wrong patient" })).ShouldHave(HttpStatusCode.OK);
        var pharmacist = await Pharmacist();

        var view = await pharmacist.GetFromJsonAsync<JsonElement>($"/api/pharmacy/prescriptions/{prescriptionId}");
        view.GetProperty("verdict").GetString().ShouldBe("revoked");
        view.GetProperty("revocationReason").GetString().ShouldBe("Wrong patient");
        var refused = await Dispense(pharmacist, prescriptionId, Guid.NewGuid(), new { line = 0, quantity = 1 });
        (await refused.Problem()).GetProperty("code").GetString().ShouldBe("Revoked");
        (await Host.CreateClient().GetFromJsonAsync<JsonElement>($"/api/verify/{prescriptionId}")).GetProperty("verdict").GetString().ShouldBe("revoked");
    }

    [Fact]
    public async Task A_pasted_JWS_is_verified_and_a_tampered_or_foreign_one_is_refused()
    {
        var (room, prescriptionId) = await Clinical.Prescribed(Host);
        var jws = (await Host.As(room.Patient.AccessToken).GetFromJsonAsync<JsonElement>($"/api/prescriptions/{prescriptionId}")).GetProperty("jws").GetString()!;
        var pharmacist = await Pharmacist();

        var genuine = await pharmacist.PostAsJsonAsync("/api/pharmacy/verify", new { jws });
        await genuine.ShouldHave(HttpStatusCode.OK);
        (await genuine.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("prescriptionId").GetGuid().ShouldBe(prescriptionId);

        var parts = jws.Split('.');
        var verified = PrescriptionSignature.Verify(jws, _ => null);
        verified.Error.ShouldBe(SignatureProblem.UnknownKey);
        var payload = System.Text.Encoding.UTF8.GetString(Base64Url.Decode(parts[1])!).Replace("\"quantity\":15", "\"quantity\":150", StringComparison.Ordinal);
        var tampered = $"{parts[0]}.{Base64Url.Encode(System.Text.Encoding.UTF8.GetBytes(payload))}.{parts[2]}";
        var refused = await pharmacist.PostAsJsonAsync("/api/pharmacy/verify", new { jws = tampered });
        await refused.ShouldHave(HttpStatusCode.UnprocessableEntity);
        (await refused.Problem()).GetProperty("signatureProblem").GetString().ShouldBe("BadSignature");

        // Same key id, another key: a forger who copied the header.
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var forgedSignature = forger.SignData(System.Text.Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        var forged = await pharmacist.PostAsJsonAsync("/api/pharmacy/verify", new { jws = $"{parts[0]}.{parts[1]}.{Base64Url.Encode(forgedSignature)}" });
        (await forged.Problem()).GetProperty("signatureProblem").GetString().ShouldBe("BadSignature");
        (await (await pharmacist.PostAsJsonAsync("/api/pharmacy/verify", new { jws = "not a jws" })).Problem()).GetProperty("code").GetString().ShouldBe("InvalidSignature");
    }

    [Fact]
    public async Task Patients_and_doctors_cannot_dispense()
    {
        var (room, prescriptionId) = await Clinical.Prescribed(Host);
        await (await Dispense(Host.As(room.Patient.AccessToken), prescriptionId, Guid.NewGuid(), new { line = 0, quantity = 6 })).ShouldHave(HttpStatusCode.Forbidden);
        await (await Dispense(Host.As(room.DoctorToken), prescriptionId, Guid.NewGuid(), new { line = 0, quantity = 6 })).ShouldHave(HttpStatusCode.Forbidden);
        await (await Dispense(Host.CreateClient(), prescriptionId, Guid.NewGuid(), new { line = 0, quantity = 6 })).ShouldHave(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_public_check_confirms_authenticity_without_medicines_or_patient_details()
    {
        var (room, prescriptionId) = await Clinical.Prescribed(Host);

        var response = await Host.CreateClient().GetAsync($"/api/verify/{prescriptionId}");

        await response.ShouldHave(HttpStatusCode.OK);
        var body = await response.Content.ReadAsStringAsync();
        var view = JsonDocument.Parse(body).RootElement;
        view.GetProperty("verdict").GetString().ShouldBe("valid");
        view.GetProperty("doctor").GetProperty("hprId").GetString().ShouldStartWith("71-");
        view.GetProperty("patientInitials").GetString().ShouldBe("T. P. 0.");
        body.ShouldNotContain("paracetamol", Case.Insensitive);
        body.ShouldNotContain("amoxicillin", Case.Insensitive);
        body.ShouldNotContain("Test Patient");
        body.ShouldNotContain("pharyngitis");
        await (await Host.CreateClient().GetAsync($"/api/verify/{Guid.NewGuid()}")).ShouldHave(HttpStatusCode.NotFound);
        room.ShouldNotBeNull();
    }
}

public class PrescriptionExpiryTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    [Fact]
    public async Task A_prescription_past_its_validity_is_expired_and_not_dispensed()
    {
        var (_, prescriptionId) = await Clinical.Prescribed(server.Host);

        server.Time.Advance(TimeSpan.FromDays(31));

        var pharmacist = server.Host.As((await server.Host.SignInStaff("meena.iyer@telemed.local")).AccessToken);
        (await pharmacist.GetFromJsonAsync<JsonElement>($"/api/pharmacy/prescriptions/{prescriptionId}")).GetProperty("verdict").GetString().ShouldBe("expired");
        var refused = await pharmacist.PostAsJsonAsync($"/api/pharmacy/prescriptions/{prescriptionId}/dispensations",
            new { requestId = Guid.NewGuid(), lines = new[] { new { line = 0, quantity = 1 } } });
        (await refused.Problem()).GetProperty("code").GetString().ShouldBe("Expired");
    }
}
