using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hl7.Fhir.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Server.Analytics;
using Telemed.Server.Tests.Consultations;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Analytics;

public class AnalyticsTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private string Today => Telemed.Domain.IndianTime.Day(server.Time.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private Task<Guid> ScriptedDay() => AnalyticsScript.ScriptedDay(Host);

    private Task<HttpClient> Officer() => AnalyticsScript.Officer(Host);

    [Fact]
    public async Task A_scripted_day_gives_the_expected_figures_with_small_counts_suppressed_and_a_rebuild_gives_the_same()
    {
        await ScriptedDay();
        var officer = await Officer();
        var path = $"/api/analytics/operations?facilityId={Sessions.Facility}&from={Today}&to={Today}";

        var before = await officer.GetStringAsync(path);
        var day = JsonDocument.Parse(before).RootElement.EnumerateArray().Single();
        day.GetProperty("checkedIn").GetInt32().ShouldBeGreaterThanOrEqualTo(7);
        day.GetProperty("seen").GetInt32().ShouldBeGreaterThanOrEqualTo(5);
        day.GetProperty("medianWaitMinutes").ValueKind.ShouldBe(JsonValueKind.Number);

        var syndromes = await officer.GetFromJsonAsync<JsonElement>($"/api/analytics/syndromes?district=Pune&from={Today}&to={Today}");
        syndromes.EnumerateArray().Single(d => d.GetProperty("syndrome").GetString() == "fever").GetProperty("count").GetInt32().ShouldBeGreaterThanOrEqualTo(5);

        var fhir = await officer.GetAsync(path + "&format=fhir");
        fhir.Content.Headers.ContentType!.MediaType.ShouldBe("application/fhir+json");
        var bundle = new FhirJsonDeserializer(new DeserializerSettings())
            .Deserialize<Hl7.Fhir.Model.Bundle>(await fhir.Content.ReadAsStringAsync());
        var report = bundle.Entry.Select(e => e.Resource).OfType<Hl7.Fhir.Model.MeasureReport>().ShouldHaveSingleItem();
        report.Reporter.Identifier.Value.ShouldBe("IN2710000123");
        report.Group.Single(g => g.Code.Text == "checked-in").MeasureScore.Value!.Value.ShouldBeGreaterThanOrEqualTo(7);
        report.Group.ShouldNotContain(g => g.Code.Text == "no-shows", "suppressed figures are left out, not sent as zero");

        var otherDoctor = await officer.GetFromJsonAsync<JsonElement>(path + $"&doctorId={Telemed.Server.Identity.DemoSeeder.DoctorRahulId}");
        otherDoctor.GetArrayLength().ShouldBe(0, "Dr. Rahul saw none of them");

        await Host.Services.GetRequiredService<AnalyticsProjector>().Rebuild(CancellationToken.None);
        (await officer.GetStringAsync(path)).ShouldBe(before);
    }

    [Fact]
    public async Task Counts_below_k_are_suppressed_not_shown_as_zero()
    {
        await ScriptedDay();
        var officer = await Officer();
        var csv = await officer.GetStringAsync($"/api/analytics/operations?facilityId={Sessions.Facility}&from={Today}&to={Today}&format=csv");
        var lines = csv.Trim().Split('\n');
        lines[0].ShouldStartWith("day,checked_in,seen,no_shows");
        var cells = lines[1].Split(',');
        cells[0].ShouldBe(Today);
        // One no-show and one cancellation per scripted day (two scripted days in this class at most): below k = 5, so empty.
        cells[3].ShouldBe("");
        cells[4].ShouldBe("");
        int.Parse(cells[1], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(7);
    }

    [Fact]
    public async Task Only_health_officers_and_admins_read_analytics()
    {
        var path = $"/api/analytics/operations?facilityId={Sessions.Facility}";
        await (await (await Sessions.Doctor(Host)).GetAsync(path)).ShouldHave(HttpStatusCode.Forbidden);
        var patient = (await Host.CreatePatients(1))[0];
        await (await Host.As(patient.AccessToken).GetAsync(path)).ShouldHave(HttpStatusCode.Forbidden);
        await (await Host.CreateClient().GetAsync(path)).ShouldHave(HttpStatusCode.Unauthorized);
        await (await (await Officer()).GetAsync(path)).ShouldHave(HttpStatusCode.OK);
        await (await Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken).GetAsync("/api/analytics/alerts")).ShouldHave(HttpStatusCode.OK);
        await (await (await Officer()).GetAsync($"/api/analytics/operations?facilityId={Sessions.Facility}&from=2026-12-01&to=2026-01-01")).ShouldHave(HttpStatusCode.BadRequest);
    }
}

/// <summary>A scripted OPD day and a health officer, for the analytics tests.</summary>
public static class AnalyticsScript
{
    /// <summary>Seven check-ins at the demo facility (Pune): five seen with fever, one no-show, one cancelled.</summary>
    public static async Task<Guid> ScriptedDay(TelemedFactory host)
    {
        var sessionId = await Sessions.Open(host);
        var patients = await host.CreatePatients(7);
        foreach (var patient in patients)
        {
            await Sessions.CheckIn(host, sessionId, patient);
        }
        var doctorToken = (await host.SignInStaff(Api.DoctorEmail)).AccessToken;
        var doctor = host.As(doctorToken);
        for (var token = 1; token <= 5; token++)
        {
            await (await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);
            var started = await doctor.PostAsync($"/api/sessions/{sessionId}/tokens/{token}/start", null);
            var room = new Room(sessionId, (await started.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("consultationId").GetGuid(), patients[token - 1], doctorToken);
            await Clinical.Write(doctor, room, ("diagnosis", new { text = "Fever", codeSystem = "icd10", code = "R50.9" }));
            await (await doctor.PostAsync($"/api/sessions/{sessionId}/tokens/{token}/complete", null)).ShouldHave(HttpStatusCode.OK);
        }
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/call-next", null)).ShouldHave(HttpStatusCode.OK);
        await (await doctor.PostAsync($"/api/sessions/{sessionId}/tokens/6/no-show", null)).ShouldHave(HttpStatusCode.OK);
        await (await host.As(patients[6].AccessToken).PostAsync($"/api/sessions/{sessionId}/tokens/7/cancel", null)).ShouldHave(HttpStatusCode.OK);
        await host.Services.GetRequiredService<AnalyticsProjector>().CatchUp(CancellationToken.None);
        return sessionId;
    }

    public static async Task<HttpClient> Officer(TelemedFactory host)
    {
        var admin = host.As((await host.SignInStaff(Api.AdminEmail)).AccessToken);
        var email = $"officer-{Guid.NewGuid():N}@health.example.in";
        await (await admin.PostAsJsonAsync("/api/admin/health-officers", new { name = "District Health Officer", email, password = "a-long-enough-password" }))
            .ShouldHave(HttpStatusCode.Created);
        return host.As((await host.SignInStaff(email, "a-long-enough-password")).AccessToken);
    }
}

public class OutbreakAlertTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private string Today => Telemed.Domain.IndianTime.Day(server.Time.GetUtcNow()).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    private Task<Guid> ScriptedDay() => AnalyticsScript.ScriptedDay(Host);

    private Task<HttpClient> Officer() => AnalyticsScript.Officer(Host);

    [Fact]
    public async Task Five_fevers_in_a_district_with_no_history_raise_one_alert_to_the_officers_online()
    {
        var admin = (await Host.SignInStaff(Api.AdminEmail)).AccessToken;
        await using var officerHub = await HubClient.Connect(Host, "/hubs/alerts", admin, "OutbreakAlert");
        await ScriptedDay();

        // The projector's own loop may raise it first; either way it is raised once and pushed.
        await Host.Services.GetRequiredService<OutbreakAlerts>().Raise(CancellationToken.None);

        var pushed = await officerHub.Next("OutbreakAlert", a => a.GetProperty("syndrome").GetString() == "fever");
        pushed.GetProperty("district").GetString().ShouldBe("Pune");
        pushed.GetProperty("detectors").EnumerateArray().Select(d => d.GetString()).ShouldContain("C1");
        pushed.GetProperty("expected").GetDouble().ShouldBe(0, "the baseline week had no fevers, and no suppressed count to give away");
        (await Host.Services.GetRequiredService<OutbreakAlerts>().Raise(CancellationToken.None)).ShouldBeEmpty("an alert is raised once");
        var listed = await (await Officer()).GetFromJsonAsync<JsonElement>($"/api/analytics/alerts?from={Today}&to={Today}");
        listed.EnumerateArray().ShouldContain(a => a.GetProperty("syndrome").GetString() == "fever");
    }
}
