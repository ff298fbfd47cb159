using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Domain;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Spokes;

/// <summary>
/// A hub (the demo facility) with a spoke of its own: the spoke's health worker, its pharmacy and pharmacist, and a hub
/// doctor who has published a roster for every day of the week, all day (India time).
/// </summary>
public sealed record SpokeWorld(
    Guid SpokeId, string SpokeName, Guid HealthWorkerId, string HealthWorkerName, HttpClient HealthWorker, string HealthWorkerToken, Guid PharmacyId, HttpClient Pharmacist,
    Guid DoctorId, HttpClient Doctor, string DoctorToken, Guid RosterId, string Specialty)
{
    public const string Password = "a-long-enough-password";

    public static async Task<HttpClient> Admin(TelemedFactory host) => host.As((await host.SignInStaff(Api.AdminEmail)).AccessToken);

    private static string Unique() => Random.Shared.NextInt64(1_000_000_000, 9_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<Guid> Facility(HttpClient admin, string name)
    {
        var created = await admin.PostAsJsonAsync("/api/admin/facilities", new
        {
            hfrId = $"IN{Unique()}", name, district = "Rampur", state = "Uttar Pradesh", proceedUnverified = true, unverifiedReason = "test facility",
        });
        await created.ShouldHave(HttpStatusCode.Created);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<(Guid Id, string Token)> HealthWorkerAt(TelemedFactory host, HttpClient admin, Guid facilityId, string name, string cadre = "anm")
    {
        var email = $"hw{Unique()}@spoke.example.in";
        var created = await admin.PostAsJsonAsync("/api/admin/health-workers", new { name, email, password = Password, cadre, facilityId });
        await created.ShouldHave(HttpStatusCode.Created);
        return ((await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), (await host.SignInStaff(email, Password)).AccessToken);
    }

    public static async Task Link(HttpClient admin, Guid hubId, Guid spokeId) =>
        await (await admin.PostAsJsonAsync("/api/admin/hub-spokes", new { hubId, spokeId })).ShouldHave(HttpStatusCode.OK);

    public static async Task<SpokeWorld> Create(TelemedFactory host, string specialty = "Paediatrics")
    {
        var admin = await Admin(host);
        var spokeName = $"HWC Rampur {Unique()}";
        var spokeId = await Facility(admin, spokeName);
        await Link(admin, Sessions.Facility, spokeId);
        var (healthWorkerId, healthWorkerToken) = await HealthWorkerAt(host, admin, spokeId, "Asha Kumari");

        var pharmacy = await admin.PostAsJsonAsync("/api/admin/pharmacies", new { name = $"{spokeName} pharmacy", licenceNumber = $"UP-{Unique()}", district = "Rampur", state = "Uttar Pradesh", facilityId = spokeId });
        await pharmacy.ShouldHave(HttpStatusCode.Created);
        var pharmacyId = (await pharmacy.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var pharmacistEmail = $"ph{Unique()}@spoke.example.in";
        await (await admin.PostAsJsonAsync("/api/admin/pharmacists", new
        {
            name = "Ravi Shukla", email = pharmacistEmail, password = Password, registrationNumber = $"UPPC-{Unique()}", stateCouncil = "UP Pharmacy Council", pharmacyId,
        })).ShouldHave(HttpStatusCode.Created);

        var doctorEmail = $"dr{Unique()}@hub.example.in";
        var doctor = await admin.PostAsJsonAsync("/api/admin/doctors", new
        {
            name = "Dr. Meera Nair", email = doctorEmail, password = Password, hprId = $"71{Unique()}{Random.Shared.Next(10, 99)}", qualification = "MBBS, MD (Paediatrics)",
            registrationNumber = $"UPMC-{Unique()}", stateCouncil = "UP Medical Council", specialty, facilityIds = new[] { Sessions.Facility },
            proceedUnverified = true, unverifiedReason = "test doctor",
        });
        await doctor.ShouldHave(HttpStatusCode.Created);
        var doctorId = (await doctor.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var doctorToken = (await host.SignInStaff(doctorEmail, Password)).AccessToken;
        var doctorClient = host.As(doctorToken);
        var roster = await doctorClient.PostAsJsonAsync("/api/rosters", new
        {
            hubId = Sessions.Facility, specialty, days = Enum.GetNames<DayOfWeek>(), from = "00:00", to = "23:55", capacity = 40, slotMinutes = 5,
        });
        await roster.ShouldHave(HttpStatusCode.Created);
        return new SpokeWorld(spokeId, spokeName, healthWorkerId, "Asha Kumari", host.As(healthWorkerToken), healthWorkerToken, pharmacyId,
            host.As((await host.SignInStaff(pharmacistEmail, Password)).AccessToken), doctorId, doctorClient, doctorToken,
            (await roster.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid(), specialty);
    }

    /// <summary>Registers a new adult patient at the spoke, with the code sent to their new number; returns their id.</summary>
    public async Task<Guid> Register(TelemedFactory host, string name = "Ramesh Yadav")
    {
        var mobile = Api.NewMobile();
        var code = await host.SendCodeAndRead(mobile);
        var created = await HealthWorker.PostAsJsonAsync("/api/spoke/patients", new { name, yearOfBirth = 1970, sex = "male", mobile, code });
        await created.ShouldHave(HttpStatusCode.Created);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    /// <summary>The first free slot of the roster today (India time), and the session it belongs to.</summary>
    public async Task<(Guid SessionId, int Slot)> FreeSlot(TelemedFactory host)
    {
        var today = IndianTime.Day(host.Services.GetRequiredService<TimeProvider>().GetUtcNow());
        var slots = await HealthWorker.GetFromJsonAsync<JsonElement>($"/api/spoke/rosters/{RosterId}/slots?date={today:yyyy-MM-dd}");
        return (slots.GetProperty("sessionId").GetGuid(), slots.GetProperty("slots").EnumerateArray().First(s => s.GetProperty("free").GetBoolean()).GetProperty("slot").GetInt32());
    }

    /// <summary>Books today's first free slot for the patient and checks them in with a complaint and vitals; returns the session and token.</summary>
    public async Task<(Guid SessionId, int Token)> BookAndCheckIn(TelemedFactory host, Guid patientId)
    {
        var (sessionId, slot) = await FreeSlot(host);
        await (await HealthWorker.PostAsJsonAsync($"/api/spoke/rosters/{RosterId}/bookings", new { patientId, slot })).ShouldHave(HttpStatusCode.Created);
        var checkedIn = await HealthWorker.PostAsJsonAsync($"/api/spoke/sessions/{sessionId}/check-in", new
        {
            patientId, complaint = "Fever for three days",
            vitals = new { systolic = new { value = 124, unit = "mmHg" }, diastolic = new { value = 80, unit = "mmHg" }, temperature = new { value = 38.4, unit = "Cel" } },
        });
        await checkedIn.ShouldHave(HttpStatusCode.Created);
        return (sessionId, (await checkedIn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetInt32());
    }

    /// <summary>A new patient brought in, seen by the hub doctor and prescribed paracetamol (6 tablets); returns the prescription's id.</summary>
    public async Task<Guid> Prescribed(TelemedFactory host)
    {
        var (sessionId, token) = await BookAndCheckIn(host, await Register(host));
        await (await Doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);
        var started = await Doctor.PostAsync($"/api/sessions/{sessionId}/tokens/{token}/start", null);
        await started.ShouldHave(HttpStatusCode.OK);
        var consultationId = (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consultationId").GetGuid();
        await Clinical.Write(Doctor, new Consultations.Room(sessionId, consultationId, null!, DoctorToken),
            ("diagnosis", new { text = "Viral fever", codeSystem = "icd10", code = "B34.9" }),
            ("prescription", new { kind = "firstConsult", medicines = new[] { Clinical.Paracetamol } }));
        await (await Doctor.PostAsync($"/api/sessions/{sessionId}/tokens/{token}/complete", null)).ShouldHave(HttpStatusCode.OK);
        return (await Doctor.GetFromJsonAsync<JsonElement>($"/api/consultations/{consultationId}/record")).GetProperty("prescriptionId").GetGuid();
    }

    /// <summary>The spoke's pharmacist records medicines received into the pharmacy's stock.</summary>
    public async Task<HttpResponseMessage> Receive(string generic, string strength, string form, int quantity, Guid? receiptId = null) =>
        await Pharmacist.PostAsJsonAsync("/api/pharmacy/stock/receipts", new
        {
            receiptId = receiptId ?? Guid.NewGuid(), generic, strength, form, quantity, batch = "PCM-2291", expiresOn = "2030-06-30",
        });
}
