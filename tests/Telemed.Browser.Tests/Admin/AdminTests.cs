using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Admin;

/// <summary>The admin home: registering places and people (and handing a new doctor their first password), staff, the day's sessions.</summary>
[Collection(OneAtATime.Name)]
public class AdminTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    private async Task<IPage> AdminPage()
    {
        var page = await fixture.NewPage();
        await Pages.SignInAdmin(page);
        return page;
    }

    [Fact]
    public async Task The_admin_searches_the_audit_trail_by_account_action_and_outcome_and_a_wrong_filter_is_named()
    {
        // A patient's attempt on a consultation that is not theirs: refused, and on the audit trail.
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var stranger = await fixture.PatientToken("7012345678");
        using (var read = new HttpRequestMessage(HttpMethod.Get, $"/api/sessions/{sessionId}/queue"))
        {
            read.Headers.Authorization = new("Bearer", stranger);
            (await fixture.Http.SendAsync(read)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
        var admin = await AdminPage();
        await Assertions.Expect(admin.Locator("#adm-audit tbody tr").First).ToBeVisibleAsync();

        await admin.FillAsync("#adm-audit-resource", $"opd-session/{sessionId}");
        await admin.SelectOptionAsync("#adm-audit-outcome", "refused");
        await admin.ClickAsync("#adm-audit-search");
        var row = admin.Locator("#adm-audit tbody tr[data-outcome='refused']");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("[data-column='resource']")).ToContainTextAsync(sessionId.ToString());
        await Assertions.Expect(row.Locator("[data-column='outcome']")).ToHaveTextAsync("Refused");
        await Assertions.Expect(admin.Locator("#adm-audit tbody tr[data-outcome='success']")).ToHaveCountAsync(0);

        await admin.FillAsync("#adm-audit-resource", "");
        await admin.SelectOptionAsync("#adm-audit-outcome", "");
        await admin.FillAsync("#adm-audit-account", "not-an-id");
        await admin.ClickAsync("#adm-audit-search");
        await Assertions.Expect(admin.Locator("#adm-audit-status")).ToContainTextAsync("account id");
        await Assertions.Expect(admin.Locator("#adm-audit tbody tr")).ToHaveCountAsync(0);
        await Axe.ShouldHaveNoSeriousViolations(admin, "the audit trail with a wrong filter");
    }

    [Fact]
    public async Task The_admin_registers_a_facility_after_correcting_its_HFR_ID_then_a_doctor_who_signs_in_with_the_handed_over_password()
    {
        var admin = await AdminPage();
        await Pages.OpenRegistration(admin, "facility");
        await admin.FillAsync("#reg-facility-hfrId", "IN12");
        await admin.FillAsync("#reg-facility-name", "PHC Hebbal");
        await admin.FillAsync("#reg-facility-district", "Bengaluru Urban");
        await admin.FillAsync("#reg-facility-state", "Karnataka");
        await admin.ClickAsync("#reg-facility button.submit");

        // The server's message for the field stands beside it; the field is marked and has the focus to be corrected.
        await Assertions.Expect(admin.Locator("#reg-facility-hfrId-error")).ToContainTextAsync("IN followed by 10");
        await Assertions.Expect(admin.Locator("#reg-facility-hfrId")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(admin.Locator("#reg-facility-hfrId")).ToBeFocusedAsync();
        await Assertions.Expect(admin.Locator("#reg-facility .form-error")).ToHaveTextAsync("Not registered: correct the fields marked below.");
        (await admin.InputValueAsync("#reg-facility-name")).ShouldBe("PHC Hebbal", "what was typed stays for the correction");

        await admin.FillAsync("#reg-facility-hfrId", "IN2910000777");
        await admin.ClickAsync("#reg-facility button.submit");
        await Assertions.Expect(admin.Locator("#reg-facility .form-status")).ToHaveTextAsync("PHC Hebbal is registered.");
        await Assertions.Expect(admin.Locator("#reg-facility-hfrId-error")).ToBeEmptyAsync();
        await Assertions.Expect(admin.Locator("#adm-facility option", new() { HasText = "PHC Hebbal" })).ToHaveCountAsync(1);

        var doctor = new Pages.NewDoctor("Dr. Sunita Reddy", "Sunita.Reddy@example.in", "71-9876-5432-1098", "MBBS, MS (Obstetrics)", "KMC-88123",
            "Karnataka Medical Council", "Obstetrics", "PHC Hebbal");
        var (doctorPage, _) = await Pages.RegisteredDoctorSignsIn(fixture, admin, doctor);

        await Assertions.Expect(doctorPage.Locator("#who")).ToHaveTextAsync("Doctor");
        var row = admin.Locator("#adm-staff tr", new() { HasText = "Dr. Sunita Reddy" });
        await Assertions.Expect(row).ToContainTextAsync("HPR 71-9876-5432-1098");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-active", "true");
        var doctors = await (await fixture.Send(HttpMethod.Get, "/api/doctors", await fixture.SignIn("asha.verma@telemed.local"))).Content.ReadFromJsonAsync<JsonElement>();
        doctors.EnumerateArray().ShouldContain(d => d.GetProperty("hprId").GetString() == "71-9876-5432-1098");

        // Closing the hand-over takes the password off the screen.
        await admin.ClickAsync("#adm-handover-done");
        await Assertions.Expect(admin.Locator("#adm-handover")).ToBeHiddenAsync();
        (await admin.TextContentAsync("#adm-handover-password")).ShouldBeNullOrEmpty();
    }

    [Fact]
    public async Task The_admin_registers_a_pharmacy_and_its_pharmacist_who_must_be_given_a_pharmacy_and_then_signs_in()
    {
        var admin = await AdminPage();
        await Pages.OpenRegistration(admin, "pharmacy");
        await admin.FillAsync("#reg-pharmacy-name", "Mathew Medicals");
        await admin.FillAsync("#reg-pharmacy-licenceNumber", "KL-EKM-20-4411");
        await admin.FillAsync("#reg-pharmacy-district", "Ernakulam");
        await admin.FillAsync("#reg-pharmacy-state", "Kerala");
        await admin.ClickAsync("#reg-pharmacy button.submit");
        await Assertions.Expect(admin.Locator("#reg-pharmacy .form-status")).ToHaveTextAsync("Mathew Medicals is registered.");

        await Pages.OpenRegistration(admin, "pharmacist");
        await admin.FillAsync("#reg-pharmacist-name", "Joseph Mathew");
        await admin.FillAsync("#reg-pharmacist-email", "joseph@pharmacy.example.in");
        await admin.FillAsync("#reg-pharmacist-password", "another-long-password");
        await admin.FillAsync("#reg-pharmacist-registrationNumber", "KSPC-4411");
        await admin.FillAsync("#reg-pharmacist-stateCouncil", "Kerala State Pharmacy Council");
        await admin.ClickAsync("#reg-pharmacist button.submit");
        await Assertions.Expect(admin.Locator("#reg-pharmacist-pharmacyId-error")).ToHaveTextAsync("Name the registered pharmacy this pharmacist works for.");
        await Assertions.Expect(admin.Locator("#adm-handover")).ToBeHiddenAsync();

        await admin.SelectOptionAsync("#reg-pharmacist-pharmacyId", new SelectOptionValue { Label = "Mathew Medicals (Ernakulam, KL-EKM-20-4411)" });
        await admin.ClickAsync("#reg-pharmacist button.submit");
        await Assertions.Expect(admin.Locator("#adm-handover-email")).ToHaveTextAsync("joseph@pharmacy.example.in");
        await Assertions.Expect(admin.Locator("#adm-handover-password")).ToHaveTextAsync("another-long-password");
        await Assertions.Expect(admin.Locator("#adm-handover-who")).ToContainTextAsync("Joseph Mathew (Pharmacist)");
        await Assertions.Expect(admin.Locator("#adm-staff tr", new() { HasText = "Joseph Mathew" })).ToContainTextAsync("Mathew Medicals");

        var pharmacist = await fixture.NewPage();
        await Pages.SignInStaff(pharmacist, "joseph@pharmacy.example.in", password: "another-long-password");
        await Assertions.Expect(pharmacist.Locator("#pharmacy")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Deactivating_asks_first_and_a_deactivated_health_officer_can_no_longer_sign_in()
    {
        var admin = await AdminPage();
        await Pages.OpenRegistration(admin, "health-officer");
        await admin.FillAsync("#reg-health-officer-name", "Dr. Kavya Menon");
        await admin.FillAsync("#reg-health-officer-email", "kavya.menon@health.example.in");
        await admin.FillAsync("#reg-health-officer-password", "district-officer-2026");
        await admin.ClickAsync("#reg-health-officer button.submit");
        var row = admin.Locator("#adm-staff tr", new() { HasText = "Dr. Kavya Menon" });
        await Assertions.Expect(row).ToHaveAttributeAsync("data-active", "true");
        await admin.SelectOptionAsync("#adm-role", "health-officer");
        await Assertions.Expect(admin.Locator("#adm-staff h4")).ToHaveTextAsync("Health officers");

        // Cancel keeps the account; the button gets the focus back.
        var deactivate = row.GetByRole(AriaRole.Button, new() { Name = "Deactivate Dr. Kavya Menon" });
        await deactivate.ClickAsync();
        await Assertions.Expect(admin.Locator("#adm-confirm")).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator("#adm-confirm-title")).ToHaveTextAsync("Deactivate Dr. Kavya Menon?");
        await Assertions.Expect(admin.Locator("#adm-confirm-no")).ToBeFocusedAsync();
        await admin.Keyboard.PressAsync("Escape");
        await Assertions.Expect(admin.Locator("#adm-confirm")).ToBeHiddenAsync();
        await Assertions.Expect(deactivate).ToBeFocusedAsync();
        (await fixture.Http.PostAsJsonAsync("/api/auth/sign-in", new { email = "kavya.menon@health.example.in", password = "district-officer-2026" }))
            .StatusCode.ShouldBe(HttpStatusCode.OK);

        await deactivate.ClickAsync();
        await admin.ClickAsync("#adm-confirm-yes");

        await Assertions.Expect(row).ToHaveAttributeAsync("data-active", "false");
        await Assertions.Expect(row).ToContainTextAsync("Deactivated");
        await Assertions.Expect(admin.Locator("#adm-staff-status")).ToHaveTextAsync("Dr. Kavya Menon is deactivated: they cannot sign in any more.");
        await Assertions.Expect(row.GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        (await fixture.Http.PostAsJsonAsync("/api/auth/sign-in", new { email = "kavya.menon@health.example.in", password = "district-officer-2026" }))
            .StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        // The admin's own row offers no switch-off.
        await admin.SelectOptionAsync("#adm-role", "admin");
        await Assertions.Expect(admin.Locator("#adm-staff tr[data-active='true']", new() { HasText = "admin@telemed.local" }).GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Todays_sessions_show_with_their_figures_on_a_phone_and_the_status_filter_narrows_them()
    {
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var patient = await fixture.PatientToken("+919812345678");
        await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/check-in", patient, new { complaint = "Cough" });

        var admin = await fixture.NewPage();
        await admin.SetViewportSizeAsync(360, 740);
        await Pages.SignInAdmin(admin);

        var row = admin.Locator($"#adm-sessions tr[data-session='{sessionId}']");
        await Assertions.Expect(row.Locator("[data-figure='facility']")).ToHaveTextAsync("Telemed District Hospital");
        await Assertions.Expect(row.Locator("[data-figure='doctors']")).ToHaveTextAsync("Dr. Asha Verma (General Medicine)");
        await Assertions.Expect(row.Locator("[data-figure='status']")).ToHaveTextAsync("Open");
        await Assertions.Expect(row.Locator("[data-figure='booked']")).ToHaveTextAsync("1 / 20");
        await Assertions.Expect(row.Locator("[data-figure='waiting']")).ToHaveTextAsync("1");
        await Assertions.Expect(row.Locator("[data-figure='seen']")).ToHaveTextAsync("0");
        await Assertions.Expect(row.Locator("[data-figure='longestWait']")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+ min$"));
        await Assertions.Expect(admin.Locator("#adm-totals")).ToContainTextAsync("checked in 1 · waiting 1 · with a doctor 0 · seen 0");
        // The page fits a 360 px phone: wide tables scroll inside their own region, the page itself does not.
        (await admin.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(360);

        await admin.SelectOptionAsync("#adm-phase", "closed");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await Assertions.Expect(admin.Locator("#adm-sessions-status")).ToContainTextAsync("No OPD sessions on");
        await admin.SelectOptionAsync("#adm-phase", "open");
        await Assertions.Expect(row).ToHaveCountAsync(1);

        // And the analytics dashboard is a click away, with the way back.
        await admin.ClickAsync("#adm-analytics");
        await Assertions.Expect(admin.Locator("#analytics")).ToBeVisibleAsync();
        await admin.ClickAsync("#an-back");
        await Assertions.Expect(admin.Locator("#admin")).ToBeVisibleAsync();
        (await admin.TextContentAsync("#error")).ShouldBeNullOrEmpty();
    }
}
