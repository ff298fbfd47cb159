using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain.Consultations;
using Telemed.Server.Devices;
using Telemed.Server.Tests.Consultations;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Devices;

public class DeviceGatewayTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private async Task<HttpClient> Admin() => Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);

    private async Task<(Guid Id, string Credential)> RegisterDevice(Guid? facilityId = null, string name = "Kiosk BP monitor")
    {
        var response = await (await Admin()).PostAsJsonAsync("/api/admin/devices", new { facilityId = facilityId ?? Sessions.Facility, name });
        await response.ShouldHave(HttpStatusCode.Created);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("device").GetProperty("id").GetGuid(), body.GetProperty("credential").GetString()!);
    }

    private HttpClient AsDevice(string credential)
    {
        var client = Host.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Device", credential);
        return client;
    }

    private static string BloodPressure(string identifier, int systolic = 132, int diastolic = 84, string unit = "mm[Hg]") => JsonSerializer.Serialize(new
    {
        resourceType = "Observation",
        identifier = new[] { new { system = "urn:ietf:rfc:3986", value = identifier } },
        status = "final",
        code = new { coding = new[] { new { system = "http://loinc.org", code = "85354-9" } } },
        effectiveDateTime = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
        component = new object[]
        {
            new { code = new { coding = new[] { new { system = "http://loinc.org", code = "8480-6" } } }, valueQuantity = new { value = systolic, system = "http://unitsofmeasure.org", code = unit } },
            new { code = new { coding = new[] { new { system = "http://loinc.org", code = "8462-4" } } }, valueQuantity = new { value = diastolic, system = "http://unitsofmeasure.org", code = unit } },
        },
    });

    private static string Single(string identifier, string loinc, decimal value, string unit) => JsonSerializer.Serialize(new
    {
        resourceType = "Observation",
        identifier = new[] { new { value = identifier } },
        status = "final",
        code = new { coding = new[] { new { system = "http://loinc.org", code = loinc } } },
        valueQuantity = new { value, system = "http://unitsofmeasure.org", code = unit },
    });

    private static Task<HttpResponseMessage> Post(HttpClient device, Guid consultationId, string json, string mediaType = "application/fhir+json") =>
        device.PostAsync($"/api/device-gateway/consultations/{consultationId}/observations", new StringContent(json, Encoding.UTF8, mediaType));

    private async Task<IReadOnlyList<DeviceVitalsRecorded>> Recorded(Guid consultationId)
    {
        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        return [.. (await query.Events.FetchStreamAsync(consultationId)).Select(e => e.Data).OfType<DeviceVitalsRecorded>()];
    }

    [Fact]
    public async Task A_registered_device_s_credential_is_shown_once_and_stored_only_hashed()
    {
        var (id, credential) = await RegisterDevice();

        var listed = await (await Admin()).GetFromJsonAsync<JsonElement>($"/api/admin/devices?facilityId={Sessions.Facility}");
        var view = listed.EnumerateArray().Single(d => d.GetProperty("id").GetGuid() == id);
        view.TryGetProperty("credential", out _).ShouldBeFalse();
        view.TryGetProperty("credentialHash", out _).ShouldBeFalse();
        await using var query = Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var stored = (await query.LoadAsync<MedicalDevice>(id))!;
        stored.CredentialHash.ShouldBe(DeviceCredentials.Hash(credential));
        stored.CredentialHash.ShouldNotContain(credential.Split('.')[1]);
    }

    [Fact]
    public async Task A_device_records_a_fhir_observation_once_per_identifier_and_the_room_sees_it_live()
    {
        var room = await Room.Start(Host);
        var (deviceId, credential) = await RegisterDevice();
        await using var doctor = await HubClient.Connect(Host, "/hubs/consultation", room.DoctorToken, [.. Room.Pushes, "DeviceReading"]);
        (await doctor.Invoke("JoinRoom", room.ConsultationId)).GetProperty("ok").GetBoolean().ShouldBeTrue();
        var device = AsDevice(credential);
        var body = BloodPressure("bp-0001");

        var first = await Post(device, room.ConsultationId, body);
        await first.ShouldHave(HttpStatusCode.Created);
        first.Content.Headers.ContentType!.MediaType.ShouldBe("application/fhir+json");
        var observation = await first.Content.ReadFromJsonAsync<JsonElement>();
        observation.GetProperty("resourceType").GetString().ShouldBe("Observation");
        observation.GetProperty("device").GetProperty("reference").GetString().ShouldBe($"Device/{deviceId}");
        observation.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString().ShouldBe("85354-9");
        observation.GetProperty("component")[0].GetProperty("valueQuantity").GetProperty("code").GetString().ShouldBe("mm[Hg]");
        var pushed = await doctor.Next("DeviceReading");
        pushed.GetProperty("vitals").GetProperty("systolicMmHg").GetInt32().ShouldBe(132);
        pushed.GetProperty("deviceId").GetGuid().ShouldBe(deviceId);

        var again = await Post(device, room.ConsultationId, body);
        await again.ShouldHave(HttpStatusCode.OK);
        (await again.Content.ReadAsStringAsync()).ShouldBe(await first.Content.ReadAsStringAsync());
        (await Recorded(room.ConsultationId)).Count.ShouldBe(1);

        var changed = await Post(device, room.ConsultationId, BloodPressure("bp-0001", systolic: 150));
        (await changed.ShouldBeProblem(HttpStatusCode.Conflict)).GetProperty("code").GetString().ShouldBe("ReadingIdReused");
    }

    [Fact]
    public async Task A_device_reading_does_not_make_the_doctor_s_open_edit_stale()
    {
        var room = await Room.Start(Host);
        var doctor = Host.As(room.DoctorToken);
        var record = await doctor.GetAsync($"/api/consultations/{room.ConsultationId}/record");
        var etag = record.Headers.ETag!.Tag;
        var (_, credential) = await RegisterDevice();
        await (await Post(AsDevice(credential), room.ConsultationId, Single("t-1", "8310-5", 100.4m, "[degF]"))).ShouldHave(HttpStatusCode.Created);

        await (await Clinical.Put(doctor, room, "notes", new { chiefComplaints = "Fever" }, etag)).ShouldHave(HttpStatusCode.OK);
        (await Recorded(room.ConsultationId)).Single().Observation.Vitals!.TemperatureCelsius.ShouldBe(38.0m);
    }

    [Theory]
    [InlineData("{\"resourceType\":\"Patient\"}", "resourceType")]
    [InlineData("{\"resourceType\":\"Observation\",\"status\":\"final\",\"code\":{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":\"8867-4\"}]},\"valueQuantity\":{\"value\":72,\"system\":\"http://unitsofmeasure.org\",\"code\":\"/min\"}}", "identifier")]
    [InlineData("not json", "resource")]
    public async Task Bad_observations_are_problems_naming_what_is_wrong(string json, string field)
    {
        var room = await Room.Start(Host);
        var (_, credential) = await RegisterDevice();
        var response = await Post(AsDevice(credential), room.ConsultationId, json);
        (await response.ShouldBeProblem(HttpStatusCode.BadRequest)).GetProperty("errors").TryGetProperty(field, out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("8867-4", 400, "/min", "Observation.pulse", "not plausible")]
    [InlineData("29463-7", 70, "stone", "Observation.weight", "Unknown unit")]
    [InlineData("2339-0", 5, "mg/dL", "Observation.glucose", "not plausible")]
    [InlineData("1234-5", 1, "%", "code", "LOINC")]
    public async Task Device_values_get_the_plausibility_checks_of_typed_vitals(string loinc, decimal value, string unit, string field, string message)
    {
        var room = await Room.Start(Host);
        var (_, credential) = await RegisterDevice();
        var response = await Post(AsDevice(credential), room.ConsultationId, Single("x-1", loinc, value, unit));
        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty(field)[0].GetString()!.ShouldContain(message);
    }

    [Fact]
    public async Task Glucose_in_mmol_per_litre_is_recorded_in_mg_per_dl()
    {
        var room = await Room.Start(Host);
        var (_, credential) = await RegisterDevice();
        await (await Post(AsDevice(credential), room.ConsultationId, Single("g-1", "2339-0", 5.5m, "mmol/L"))).ShouldHave(HttpStatusCode.Created);
        (await Recorded(room.ConsultationId)).Single().Observation.GlucoseMgPerDl.ShouldBe(99.1m);
    }

    [Fact]
    public async Task Other_media_types_are_refused()
    {
        var room = await Room.Start(Host);
        var (_, credential) = await RegisterDevice();
        await (await Post(AsDevice(credential), room.ConsultationId, BloodPressure("m-1"), "text/plain")).ShouldBeProblem(HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_wrong_credential_a_revoked_device_and_another_facility_s_device_are_refused()
    {
        var room = await Room.Start(Host);
        var (deviceId, credential) = await RegisterDevice();
        var body = BloodPressure("w-1");

        await (await Post(AsDevice(credential[..^2] + "AA"), room.ConsultationId, body)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await Post(AsDevice("not-a-credential"), room.ConsultationId, body)).ShouldBeProblem(HttpStatusCode.Unauthorized);
        await (await Post(Host.As(room.Patient.AccessToken), room.ConsultationId, body)).ShouldBeProblem(HttpStatusCode.Unauthorized);

        var admin = await Admin();
        var facility = await admin.PostAsJsonAsync("/api/admin/facilities", new
        {
            hfrId = $"IN29{Random.Shared.Next(10_000_000, 99_999_999)}", name = "Sub Centre Yelahanka", district = "Bengaluru Urban", state = "Karnataka",
            proceedUnverified = true, unverifiedReason = "test facility",
        });
        await facility.ShouldHave(HttpStatusCode.Created);
        var (_, elsewhere) = await RegisterDevice((await facility.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        await (await Post(AsDevice(elsewhere), room.ConsultationId, body)).ShouldBeProblem(HttpStatusCode.Forbidden);

        await (await admin.PostAsync($"/api/admin/devices/{deviceId}/revoke", null)).ShouldHave(HttpStatusCode.OK);
        var revoked = await Post(AsDevice(credential), room.ConsultationId, body);
        (await revoked.ShouldBeProblem(HttpStatusCode.Unauthorized)).GetProperty("detail").GetString()!.ShouldContain("revoked");

        (await Recorded(room.ConsultationId)).ShouldBeEmpty();
        var devicesJwt = AsDevice(credential);
        await (await devicesJwt.GetAsync($"/api/consultations/{room.ConsultationId}/record")).ShouldHave(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_device_credential_opens_nothing_but_the_gateway()
    {
        var room = await Room.Start(Host);
        var (_, credential) = await RegisterDevice();
        var device = AsDevice(credential);
        foreach (var path in new[] { $"/api/consultations/{room.ConsultationId}/record", $"/api/consultations/{room.ConsultationId}/device-readings", "/api/admin/devices", "/api/sessions" })
        {
            (await device.GetAsync(path)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, path);
        }
    }

    [Fact]
    public async Task A_participant_s_browser_records_a_bluetooth_reading_parsed_on_the_server()
    {
        var room = await Room.Start(Host);
        var patient = Host.As(room.Patient.AccessToken);
        // Blood Pressure Measurement, flags: mmHg, pulse rate present; 128/82 mmHg, MAP 97, pulse 76 (SFLOAT, exponent 0).
        var value = Convert.ToBase64String([0x04, 128, 0x00, 82, 0x00, 97, 0x00, 76, 0x00]);
        var request = new { readingId = "ble-1", characteristic = "2a35", value, deviceName = "A&D UA-651BLE" };

        var response = await patient.PostAsJsonAsync($"/api/consultations/{room.ConsultationId}/device-readings", request);
        await response.ShouldHave(HttpStatusCode.Created);
        var reading = await response.Content.ReadFromJsonAsync<JsonElement>();
        reading.GetProperty("vitals").GetProperty("systolicMmHg").GetInt32().ShouldBe(128);
        reading.GetProperty("vitals").GetProperty("pulsePerMinute").GetInt32().ShouldBe(76);
        reading.GetProperty("characteristic").GetString().ShouldBe("0x2A35");
        await (await patient.PostAsJsonAsync($"/api/consultations/{room.ConsultationId}/device-readings", request)).ShouldHave(HttpStatusCode.OK);

        var listed = await Host.As(room.DoctorToken).GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}/device-readings");
        listed.GetArrayLength().ShouldBe(1);

        var stranger = Host.As((await Host.CreatePatients(1))[0].AccessToken);
        await (await stranger.PostAsJsonAsync($"/api/consultations/{room.ConsultationId}/device-readings", request with { readingId = "ble-2" }))
            .ShouldBeProblem(HttpStatusCode.Forbidden);
        await (await stranger.GetAsync($"/api/consultations/{room.ConsultationId}/device-readings")).ShouldBeProblem(HttpStatusCode.Forbidden);
    }

    [Theory]
    [InlineData("2a35", "BAcA", "value", "needs bytes")]
    [InlineData("2a35", "@@", "value", "base64")]
    [InlineData("2a36", "BAcA", "characteristic", "not one of")]
    [InlineData("2a5e", "AP8H/wc=", "value", "sent no number")]
    public async Task Malformed_bluetooth_values_are_problems_naming_the_field(string characteristic, string value, string field, string message)
    {
        var room = await Room.Start(Host);
        var response = await Host.As(room.Patient.AccessToken).PostAsJsonAsync($"/api/consultations/{room.ConsultationId}/device-readings",
            new { readingId = "bad-1", characteristic, value, deviceName = "Meter" });
        var problem = await response.ShouldBeProblem(HttpStatusCode.BadRequest);
        problem.GetProperty("errors").GetProperty(field)[0].GetString()!.ShouldContain(message);
    }

    [Fact]
    public async Task The_consultation_document_carries_device_readings_as_observations_with_their_device()
    {
        var room = await Clinical.OnVideo(Host);
        var (deviceId, credential) = await RegisterDevice(name: "OPD kiosk oximeter");
        await (await Post(AsDevice(credential), room.ConsultationId, Single("o-1", "59408-5", 97, "%"))).ShouldHave(HttpStatusCode.Created);
        var doctor = Host.As(room.DoctorToken);
        await Clinical.Write(doctor, room, ("diagnosis", new { text = "Viral fever" }),
            ("prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol } }));
        await Clinical.Complete(doctor, room);

        var bundle = await doctor.GetFromJsonAsync<JsonElement>($"/api/consultations/{room.ConsultationId}/fhir");
        var resources = bundle.GetProperty("entry").EnumerateArray().Select(e => e.GetProperty("resource")).ToList();
        var device = resources.Single(r => r.GetProperty("resourceType").GetString() == "Device");
        device.GetProperty("identifier")[0].GetProperty("value").GetString().ShouldBe($"urn:uuid:{deviceId}");
        var fullUrl = bundle.GetProperty("entry").EnumerateArray().Single(e => e.GetProperty("resource").GetProperty("resourceType").GetString() == "Device")
            .GetProperty("fullUrl").GetString();
        var spo2 = resources.Single(r => r.GetProperty("resourceType").GetString() == "Observation" && r.TryGetProperty("device", out _));
        spo2.GetProperty("device").GetProperty("reference").GetString().ShouldBe(fullUrl);
        spo2.GetProperty("code").GetProperty("coding")[0].GetProperty("code").GetString().ShouldBe("59408-5");
        spo2.GetProperty("valueQuantity").GetProperty("system").GetString().ShouldBe("http://unitsofmeasure.org");
        spo2.GetProperty("valueQuantity").GetProperty("value").GetDecimal().ShouldBe(97);
    }
}
