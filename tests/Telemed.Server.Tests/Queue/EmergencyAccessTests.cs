using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Telemed.Server.Audit;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Queue;

/// <summary>Break-glass: an admin sees patients' complaints and files only under emergency access, with a reason each patient reads.</summary>
public class EmergencyAccessTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private const string Reason = "Patient collapsed in the waiting area";

    private TelemedFactory Host => server.Host;

    private async Task<HttpClient> Admin() => Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);

    [Fact]
    public async Task An_admin_reads_a_queue_only_under_emergency_access_which_the_patient_sees_with_its_reason_and_which_ends_after_thirty_minutes()
    {
        var sessionId = await Sessions.Open(Host);
        var patient = (await Host.CreatePatients(1))[0];
        await Sessions.CheckIn(Host, sessionId, patient, "Chest pain since morning");
        var admin = await Admin();

        var refused = await admin.GetAsync($"/api/sessions/{sessionId}/queue");
        await refused.ShouldHave(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync()).ShouldContain($"/api/admin/sessions/{sessionId}/emergency-access");

        var noReason = await admin.PostAsJsonAsync($"/api/admin/sessions/{sessionId}/emergency-access", new { reason = "urgent" });
        await noReason.ShouldHave(HttpStatusCode.BadRequest);
        (await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("reason")[0].GetString()!.ShouldContain("at least 15 characters");
        await (await admin.PostAsJsonAsync($"/api/admin/sessions/{Guid.NewGuid()}/emergency-access", new { reason = Reason })).ShouldHave(HttpStatusCode.NotFound);
        var opened = await admin.PostAsJsonAsync($"/api/admin/sessions/{sessionId}/emergency-access", new { reason = Reason });
        await opened.ShouldHave(HttpStatusCode.Created);
        (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("until").GetDateTimeOffset().ShouldBe(server.Time.GetUtcNow().AddMinutes(30));

        var queue = await admin.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}/queue");
        queue.GetProperty("rows")[0].GetProperty("complaint").GetString().ShouldBe("Chest pain since morning");

        var log = await Host.As(patient.AccessToken).GetFromJsonAsync<JsonElement>("/api/records/access-log");
        log.EnumerateArray().ShouldContain(read => read.GetProperty("basis").GetString() == "EmergencyAccess"
            && read.GetProperty("reason").GetString() == Reason && read.GetProperty("readerId").GetGuid() == DemoSeeder.AdminId
            && read.GetProperty("resource").GetString() == $"opd-session/{sessionId}");
        var audit = await admin.GetFromJsonAsync<AuditPage>(
            $"/api/admin/audit?resource=opd-session/{sessionId}&action={Uri.EscapeDataString("open emergency access")}", Api.Json);
        audit!.Entries.ShouldHaveSingleItem().AccountId.ShouldBe(DemoSeeder.AdminId);

        server.Time.Advance(TimeSpan.FromMinutes(30));
        await (await (await Admin()).GetAsync($"/api/sessions/{sessionId}/queue")).ShouldHave(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_check_in_file_is_closed_to_an_admin_without_emergency_access_and_only_admins_open_it()
    {
        var sessionId = await Sessions.Open(Host);
        var patient = (await Host.CreatePatients(1))[0];
        using var form = new MultipartFormDataContent
        {
            { new StringContent("Fever for three days"), "complaint" },
            { new ByteArrayContent("%PDF-1.4\n%%EOF\n"u8.ToArray()) { Headers = { ContentType = new("application/pdf") } }, "attachments", "report.pdf" },
        };
        await (await Host.As(patient.AccessToken).PostAsync($"/api/sessions/{sessionId}/check-in", form)).ShouldHave(HttpStatusCode.Created);
        var doctor = await Sessions.Doctor(Host);
        var attachmentId = (await doctor.GetFromJsonAsync<JsonElement>($"/api/sessions/{sessionId}/queue"))
            .GetProperty("rows")[0].GetProperty("attachments")[0].GetProperty("id").GetGuid();
        var admin = await Admin();

        await (await admin.GetAsync($"/api/sessions/{sessionId}/attachments/{attachmentId}")).ShouldHave(HttpStatusCode.Forbidden);
        await (await doctor.PostAsJsonAsync($"/api/admin/sessions/{sessionId}/emergency-access", new { reason = Reason })).ShouldHave(HttpStatusCode.Forbidden);
        await (await admin.PostAsJsonAsync($"/api/admin/sessions/{sessionId}/emergency-access", new { reason = Reason })).ShouldHave(HttpStatusCode.Created);
        await (await admin.GetAsync($"/api/sessions/{sessionId}/attachments/{attachmentId}")).ShouldHave(HttpStatusCode.OK);
    }
}
