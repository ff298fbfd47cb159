using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Server.Identity;

namespace Telemed.Server.Tests.Support;

public static class Sessions
{
    public static readonly Guid Facility = DemoSeeder.FacilityId;

    /// <summary>A free session at the demo facility, run by both demo doctors, that started a moment ago by the server's clock.</summary>
    public static async Task<Guid> Open(TelemedFactory host, int capacity = 100, int slotMinutes = 10, Guid[]? doctorIds = null)
    {
        var admin = host.As((await host.SignInStaff(Api.AdminEmail)).AccessToken);
        var now = host.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var response = await admin.PostAsJsonAsync("/api/sessions", new
        {
            facilityId = Facility,
            doctorIds = doctorIds ?? [DemoSeeder.DoctorAshaId, DemoSeeder.DoctorRahulId],
            startsAt = now.AddMinutes(-5),
            endsAt = now.AddHours(6),
            capacity,
            slotMinutes,
            specialty = "General Medicine",
        });
        await response.ShouldHave(HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public static async Task<JsonElement> CheckIn(TelemedFactory host, Guid sessionId, TestPatient patient, string? complaint = null)
    {
        var response = await host.As(patient.AccessToken).PostAsJsonAsync($"/api/sessions/{sessionId}/check-in", new { complaint });
        if (response.StatusCode is not (HttpStatusCode.Created or HttpStatusCode.OK))
        {
            await response.ShouldHave(HttpStatusCode.Created);
        }
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static async Task<HttpClient> Doctor(TelemedFactory host, string email = Api.DoctorEmail) =>
        host.As((await host.SignInStaff(email)).AccessToken);
}
