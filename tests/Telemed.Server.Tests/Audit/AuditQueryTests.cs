using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Telemed.Server.Audit;
using Telemed.Server.Identity;
using Telemed.Server.Tests.Support;

namespace Telemed.Server.Tests.Audit;

public class AuditQueryTests(TelemedServer server) : IClassFixture<TelemedServer>
{
    private TelemedFactory Host => server.Host;

    private async Task<HttpClient> Admin() => Host.As((await Host.SignInStaff(Api.AdminEmail)).AccessToken);

    /// <summary>
    /// The start of a window that holds only what the test does next. The host starts on first use and seeds the demo
    /// staff, which is audited: it must have started before the window opens, whichever test runs first.
    /// </summary>
    private async Task<DateTimeOffset> WindowStart()
    {
        await Host.SignInStaff(Api.AdminEmail);
        server.Time.Advance(TimeSpan.FromSeconds(1));
        return server.Time.GetUtcNow();
    }

    private static string Query(params (string Name, object Value)[] filters) =>
        "/api/admin/audit?" + string.Join('&', filters.Select(f => $"{f.Name}={Uri.EscapeDataString(f.Value.ToString()!)}"));

    [Fact]
    public async Task Reading_a_sessions_queue_with_its_patients_complaints_is_audited_and_on_each_patients_access_log()
    {
        var sessionId = await Sessions.Open(Host);
        var patients = await Host.CreatePatients(2);
        foreach (var patient in patients)
        {
            await Sessions.CheckIn(Host, sessionId, patient);
        }
        await (await (await Sessions.Doctor(Host)).GetAsync($"/api/sessions/{sessionId}/queue")).ShouldHave(HttpStatusCode.OK);

        var page = await (await Admin()).GetFromJsonAsync<AuditPage>(Query(("resource", $"opd-session/{sessionId}"), ("action", "read queue")), Api.Json);

        page!.Entries.ShouldHaveSingleItem().Outcome.ToString().ShouldBe("Success");
        foreach (var patient in patients)
        {
            var log = await Host.As(patient.AccessToken).GetFromJsonAsync<JsonElement>("/api/records/access-log");
            log.EnumerateArray().ShouldContain(read => read.GetProperty("basis").GetString() == "SessionStaff"
                && read.GetProperty("resource").GetString() == $"opd-session/{sessionId}" && read.GetProperty("readerId").GetGuid() == DemoSeeder.DoctorAshaId);
        }
    }

    [Fact]
    public async Task Reading_message_delivery_status_is_audited()
    {
        var admin = await Admin();
        var start = await WindowStart();
        await (await admin.GetAsync("/api/admin/messages")).ShouldHave(HttpStatusCode.OK);

        var page = await admin.GetFromJsonAsync<AuditPage>(Query(("action", "read delivery status"), ("from", start.ToString("O"))), Api.Json);

        var entry = page!.Entries.ShouldHaveSingleItem();
        (entry.AccountId, entry.Resource).ShouldBe((DemoSeeder.AdminId, "messages/delivery-status"));
    }

    [Fact]
    public async Task An_admin_sees_a_staff_members_sign_ins_and_refusals_newest_first()
    {
        var admin = await Admin();
        var start = await WindowStart();
        var wrong = await Host.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { email = "rahul.nair@telemed.local", password = "not-the-password" });
        await wrong.ShouldHave(HttpStatusCode.Unauthorized);
        server.Time.Advance(TimeSpan.FromSeconds(1));
        var rahul = await Host.SignInStaff("rahul.nair@telemed.local");
        server.Time.Advance(TimeSpan.FromSeconds(1));
        var patient = (await Host.CreatePatients(1))[0];
        var refused = await Host.As(rahul.AccessToken).GetAsync($"/api/patients/{patient.Id}/records");
        await refused.ShouldHave(HttpStatusCode.NotFound);

        var page = await admin.GetFromJsonAsync<AuditPage>(Query(("accountId", DemoSeeder.DoctorRahulId), ("from", start.ToString("O"))), Api.Json);

        page!.Entries.Select(e => (e.Action, e.Outcome.ToString())).ShouldBe([
            ("read health record", "Refused"), ("sign in (password)", "Success"), ("sign in (wrong password)", "Failure")]);
        page.Entries[0].Resource.ShouldBe($"patient/{patient.Id}/records");
        page.Entries.ShouldAllBe(e => e.AccountId == DemoSeeder.DoctorRahulId);
        page.NextOffset.ShouldBeNull();

        var refusals = await admin.GetFromJsonAsync<AuditPage>(Query(("outcome", "refused"), ("resource", $"patient/{patient.Id}")), Api.Json);
        refusals!.Entries.ShouldHaveSingleItem().AccountId.ShouldBe(DemoSeeder.DoctorRahulId);
        var signIns = await admin.GetFromJsonAsync<AuditPage>(Query(("accountId", DemoSeeder.DoctorRahulId), ("action", "sign in"), ("from", start.ToString("O"))), Api.Json);
        signIns!.Entries.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Pages_follow_each_other_and_a_period_bounds_them()
    {
        var start = await WindowStart();
        for (var i = 0; i < 3; i++)
        {
            await Host.SignInStaff(Api.DoctorEmail);
            server.Time.Advance(TimeSpan.FromSeconds(1));
        }
        var admin = await Admin();
        var filters = new[] { ("accountId", (object)DemoSeeder.DoctorAshaId), ("from", start.ToString("O")), ("limit", 2) };

        var first = await admin.GetFromJsonAsync<AuditPage>(Query(filters), Api.Json);
        first!.Entries.Count.ShouldBe(2);
        first.NextOffset.ShouldBe(2);
        var second = await admin.GetFromJsonAsync<AuditPage>(Query([.. filters, ("offset", first.NextOffset!)]), Api.Json);
        second!.Entries.ShouldHaveSingleItem();
        second.NextOffset.ShouldBeNull();
        first.Entries.Concat(second.Entries).Select(e => e.At).ShouldBeInOrder(SortDirection.Descending);

        var later = await admin.GetFromJsonAsync<AuditPage>(Query(("from", server.Time.GetUtcNow().AddMinutes(1).ToString("O"))), Api.Json);
        later!.Entries.ShouldBeEmpty();
    }

    [Fact]
    public async Task Admin_actions_are_audited_with_the_admin_as_actor()
    {
        var admin = await Admin();
        var facility = await admin.PostAsJsonAsync("/api/admin/facilities", new { hfrId = "IN2910000888", name = "PHC Audit", district = "Mysuru", state = "Karnataka" });
        await facility.ShouldHave(HttpStatusCode.Created);
        var facilityId = (await facility.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        var page = await admin.GetFromJsonAsync<AuditPage>(Query(("resource", $"facility/{facilityId}")), Api.Json);

        var entry = page!.Entries.ShouldHaveSingleItem();
        (entry.AccountId, entry.Action).ShouldBe((DemoSeeder.AdminId, "register facility"));
    }

    [Fact]
    public async Task The_client_address_is_recorded()
    {
        // The in-memory test server has no client address; this host gives every request one, as Kestrel would.
        await using var behindAddress = Host.WithWebHostBuilder(web => web.ConfigureServices(services =>
            services.AddSingleton<IStartupFilter>(new FromAddress(IPAddress.Parse("203.0.113.7")))));
        server.Time.Advance(TimeSpan.FromSeconds(1));
        var start = server.Time.GetUtcNow();
        var wrong = await behindAddress.CreateClient().PostAsJsonAsync("/api/auth/sign-in", new { email = Api.DoctorEmail, password = "not-the-password" });
        await wrong.ShouldHave(HttpStatusCode.Unauthorized);

        var page = await (await Admin()).GetFromJsonAsync<AuditPage>(Query(("outcome", "failure"), ("from", start.ToString("O"))), Api.Json);

        page!.Entries.ShouldHaveSingleItem().From.ShouldBe("203.0.113.7");
    }

    [Fact]
    public async Task Wrong_filters_are_named_in_problem_details()
    {
        var response = await (await Admin()).GetAsync("/api/admin/audit?accountId=someone&outcome=maybe&from=yesterday&limit=501");

        await response.ShouldHave(HttpStatusCode.BadRequest);
        var problem = await response.Problem();
        problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ShouldBe(["accountId", "outcome", "from", "limit"], ignoreOrder: true);
    }

    [Fact]
    public async Task Only_admins_read_the_audit_trail()
    {
        var doctor = Host.As((await Host.SignInStaff(Api.DoctorEmail)).AccessToken);
        await (await doctor.GetAsync("/api/admin/audit")).ShouldHave(HttpStatusCode.Forbidden);
    }

    private sealed class FromAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
