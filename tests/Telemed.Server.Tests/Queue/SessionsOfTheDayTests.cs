using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telemed.Domain;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Queue;

/// <summary>The admin's list of a day's sessions across facilities, with each session's counts.</summary>
public class SessionsOfTheDayTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private async Task<HttpClient> Admin() => Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);

    private static async Task<JsonElement> Listed(HttpClient admin, Guid sessionId, string query = "")
    {
        var response = await admin.GetAsync($"/api/admin/sessions{query}");
        await response.ShouldHave(HttpStatusCode.OK);
        var sessions = await response.Content.ReadFromJsonAsync<JsonElement>();
        return sessions.EnumerateArray().Single(s => s.GetProperty("id").GetGuid() == sessionId);
    }

    [Fact]
    public async Task Today_lists_each_session_with_its_facility_doctors_and_counts_of_waiting_and_seen()
    {
        var sessionId = await Sessions.Open(Host);
        foreach (var patient in await Host.CreatePatients(3))
        {
            await Sessions.CheckIn(Host, sessionId, patient);
        }
        var doctor = await Sessions.Doctor(Host);
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/tokens/1/start", null)).ShouldHave(HttpStatusCode.OK);
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/tokens/1/complete", null)).ShouldHave(HttpStatusCode.OK);
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/tokens/2/no-show", null)).ShouldHave(HttpStatusCode.OK);

        var session = await Listed(await Admin(), sessionId);

        session.GetProperty("facilityName").GetString().ShouldBe("Telemed District Hospital");
        session.GetProperty("status").GetString().ShouldBe("open");
        session.GetProperty("doctors").EnumerateArray().Select(d => d.GetProperty("name").GetString()).ShouldBe(["Dr. Asha Verma", "Dr. Rahul Nair"]);
        var figures = session.GetProperty("figures");
        figures.GetProperty("placesTaken").GetInt32().ShouldBe(3);
        figures.GetProperty("waiting").GetInt32().ShouldBe(1);
        figures.GetProperty("seen").GetInt32().ShouldBe(1);
        figures.GetProperty("noShows").GetInt32().ShouldBe(1);
        figures.GetProperty("withDoctor").GetInt32().ShouldBe(0);
        figures.GetProperty("longestWaitMinutes").GetInt32().ShouldBeInRange(0, 1);
    }

    [Fact]
    public async Task A_closed_session_stays_on_the_days_list_though_patients_no_longer_see_it()
    {
        var sessionId = await Sessions.Open(Host);
        var admin = await Admin();
        await (await admin.PostAsync($"/api/sessions/{sessionId}/close", null)).ShouldHave(HttpStatusCode.OK);

        (await Listed(admin, sessionId)).GetProperty("status").GetString().ShouldBe("closed");
        var open = await admin.GetFromJsonAsync<JsonElement>("/api/sessions");
        open.EnumerateArray().ShouldNotContain(s => s.GetProperty("id").GetGuid() == sessionId);
    }

    [Fact]
    public async Task The_facility_and_the_day_narrow_the_list()
    {
        var sessionId = await Sessions.Open(Host);
        var admin = await Admin();
        var other = await admin.PostAsJsonAsync("/api/admin/facilities", new { hfrId = "IN2910000888", name = "PHC Hebbal", district = "Bengaluru Urban", state = "Karnataka" });
        await other.ShouldHave(HttpStatusCode.Created);
        var otherId = (await other.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var today = IndianTime.Day(DateTimeOffset.UtcNow);

        (await Listed(admin, sessionId, $"?facilityId={DemoSeeder.FacilityId}&day={today:yyyy-MM-dd}")).GetProperty("id").GetGuid().ShouldBe(sessionId);
        (await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions?facilityId={otherId}")).GetArrayLength().ShouldBe(0);
        var lastWeek = await admin.GetFromJsonAsync<JsonElement>($"/api/admin/sessions?day={today.AddDays(-7):yyyy-MM-dd}");
        lastWeek.EnumerateArray().ShouldNotContain(s => s.GetProperty("id").GetGuid() == sessionId);
    }

    [Fact]
    public async Task A_day_that_is_not_a_date_is_a_problem_naming_it()
    {
        var response = await (await Admin()).GetAsync("/api/admin/sessions?day=yesterday");

        await response.ShouldHave(HttpStatusCode.BadRequest);
        (await response.Problem()).GetProperty("detail").GetString().ShouldContain("day");
    }

    [Theory]
    [InlineData(Api.DoctorEmail)]
    [InlineData("meena.iyer@telemed.local")]
    public async Task Only_admins_see_the_days_sessions(string email)
    {
        var response = await Host.As((await Host.SignInStaff(email)).AccessToken).GetAsync("/api/admin/sessions");

        await response.ShouldHave(HttpStatusCode.Forbidden);
        await response.Problem();
    }

    [Fact]
    public async Task A_patient_cannot_see_the_days_sessions()
    {
        var patient = (await Host.CreatePatients(1))[0];

        await (await Host.As(patient.AccessToken).GetAsync("/api/admin/sessions")).ShouldHave(HttpStatusCode.Forbidden);
    }
}
