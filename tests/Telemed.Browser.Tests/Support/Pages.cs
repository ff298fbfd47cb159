using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Telemed.Browser.Tests.Support;

/// <summary>What people do in the web client, step by step, shared by the browser tests.</summary>
public static class Pages
{
    public static async Task SignInStaff(IPage page, string email, string start = "/", string password = "telemed-demo")
    {
        await page.GotoAsync(start);
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", password);
        await page.ClickAsync("#staff-signin");
    }

    /// <summary>The demo admin signs in with the password, then the authenticator's code, and lands on the admin home.</summary>
    public static async Task SignInAdmin(IPage page, string start = "/")
    {
        await SignInStaff(page, "admin@telemed.local", start);
        await Assertions.Expect(page.Locator("#mfa-form")).ToBeVisibleAsync();
        await page.FillAsync("#mfa-code", await DemoAdminCodes.Next(new Uri(page.Url)));
        await page.ClickAsync("#mfa-submit");
        await Assertions.Expect(page.Locator("#admin")).ToBeVisibleAsync();
    }

    /// <summary>
    /// Opens a registration panel on the admin home from the keyboard: the panels sit below lists that are still loading,
    /// and a click aimed at a summary can land on whatever those lists moved under it.
    /// </summary>
    public static async Task<ILocator> OpenRegistration(IPage admin, string kind)
    {
        var panel = admin.Locator($"#reg-{kind}-panel");
        if (await panel.GetAttributeAsync("open") is null)
        {
            await panel.Locator("summary").PressAsync("Enter");
        }
        await Assertions.Expect(panel).ToHaveAttributeAsync("open", "");
        return panel;
    }

    /// <summary>A doctor as the admin types them in; the facility is chosen by the name shown beside its box.</summary>
    public sealed record NewDoctor(
        string Name, string Email, string HprId, string Qualification, string RegistrationNumber, string StateCouncil, string? Specialty, string? FacilityName);

    /// <summary>
    /// On the admin home: registers the doctor with a suggested first password and returns that password as the hand-over
    /// panel shows it (the only way a new doctor learns it: Telemed sends staff no message).
    /// </summary>
    public static async Task<string> RegisterDoctor(IPage admin, NewDoctor doctor)
    {
        var panel = await OpenRegistration(admin, "doctor");
        await admin.FillAsync("#reg-doctor-name", doctor.Name);
        await admin.FillAsync("#reg-doctor-email", doctor.Email);
        await panel.Locator(".suggest").ClickAsync();
        await admin.FillAsync("#reg-doctor-hprId", doctor.HprId);
        await admin.FillAsync("#reg-doctor-qualification", doctor.Qualification);
        await admin.FillAsync("#reg-doctor-registrationNumber", doctor.RegistrationNumber);
        await admin.FillAsync("#reg-doctor-stateCouncil", doctor.StateCouncil);
        await admin.FillAsync("#reg-doctor-specialty", doctor.Specialty ?? "");
        if (doctor.FacilityName is { } facility)
        {
            await panel.GetByLabel(facility).CheckAsync();
        }
        var suggested = await admin.InputValueAsync("#reg-doctor-password");
        await panel.Locator("button.submit").ClickAsync();
        await Assertions.Expect(admin.Locator("#adm-handover")).ToBeVisibleAsync();
        await Assertions.Expect(admin.Locator("#adm-handover-email")).ToHaveTextAsync(doctor.Email.ToLowerInvariant());
        var handedOver = (await admin.TextContentAsync("#adm-handover-password"))!;
        handedOver.ShouldBe(suggested);
        return handedOver;
    }

    /// <summary>
    /// The whole day's first step: the admin registers a doctor on the admin home, and the doctor signs in through the
    /// sign-in page with the password the admin handed over (which also unlocks their signing key), landing on their OPD sessions.
    /// </summary>
    public static async Task<(IPage Page, string Password)> RegisteredDoctorSignsIn(BrowserFixture fixture, IPage admin, NewDoctor doctor)
    {
        var password = await RegisterDoctor(admin, doctor);
        var page = await fixture.NewPage();
        await SignInStaff(page, doctor.Email, password: password);
        await Assertions.Expect(page.Locator("#doctor")).ToBeVisibleAsync();
        return (page, password);
    }

    /// <summary>The doctor signs in and opens the queue of a session.</summary>
    public static async Task OpenQueue(IPage page, string doctorEmail, Guid sessionId, string start = "/")
    {
        await SignInStaff(page, doctorEmail, start);
        await page.ClickAsync($"#doctor-sessions button[data-session='{sessionId}']");
    }

    /// <summary>The patient signs in with the code sent to their mobile (read from the outbox) and checks in to the session.</summary>
    public static async Task CheckIn(IPage page, BrowserFixture fixture, string mobile, Guid sessionId, string start = "/")
    {
        await SignInPatient(page, fixture, mobile, start);
        await OpenCheckIn(page, sessionId);
        await page.ClickAsync("#checkin-submit");
    }

    /// <summary>The patient signs in with the code sent to their mobile (read from the outbox) and sees the open OPDs.</summary>
    public static async Task SignInPatient(IPage page, BrowserFixture fixture, string mobile, string start = "/")
    {
        await page.GotoAsync(start);
        await page.FillAsync("#mobile", mobile);
        var asked = DateTimeOffset.UtcNow;
        await page.ClickAsync("#send-code");
        // The page says the code went, or why it did not: a refusal fails here, in the page's own words.
        await page.WaitForFunctionAsync("() => document.getElementById('code-sent').textContent !== '' || document.getElementById('error').textContent !== ''");
        (await page.TextContentAsync("#error")).ShouldBeNullOrEmpty("asking for a sign-in code");
        await page.FillAsync("#code", await fixture.LatestCode("+91" + mobile, asked));
        await page.ClickAsync("#patient-signin");
    }

    /// <summary>The elements (by id, else tag) that reach past the right edge of the viewport: none on a page that fits a phone.</summary>
    public static Task<string[]> WiderThanTheScreen(IPage page) => page.EvaluateAsync<string[]>("""
        () => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5).map(e => e.id || e.tagName)
        """);

    /// <summary>The patient picks a session from the list: its check-in form opens (complaint, files, fee).</summary>
    public static async Task OpenCheckIn(IPage page, Guid sessionId)
    {
        await page.ClickAsync($"#sessions button[data-session='{sessionId}']");
        await Assertions.Expect(page.Locator($"#checkin-form[data-session='{sessionId}']")).ToBeVisibleAsync();
    }

    /// <summary>
    /// A fresh session of Dr. Asha Verma with her queue open in one browser, and a patient checked in as token 1 in
    /// another (optionally on another node).
    /// </summary>
    public static async Task<(IPage Doctor, IPage Patient, Guid SessionId)> PatientWaiting(
        BrowserFixture fixture, string mobile, IPage? doctorPage = null, IPage? patientPage = null)
    {
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var doctor = doctorPage ?? await fixture.NewPage();
        var patient = patientPage ?? await fixture.NewPage();
        await OpenQueue(doctor, "asha.verma@telemed.local", sessionId);
        await CheckIn(patient, fixture, mobile, sessionId);
        await Assertions.Expect(patient.Locator("#token")).ToHaveTextAsync("1");
        // The doctor's list shows the newcomer live (pushed, not reloaded), in place 1.
        var row = doctor.Locator("#queue li[data-token='1']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "waiting");
        await Assertions.Expect(row).ToContainTextAsync("place 1");
        return (doctor, patient, sessionId);
    }

    /// <summary>In the consultation screen: vitals, complaint, diagnosis (ICD-10) and paracetamol 500 mg 1-0-1 for 3 days, saved.</summary>
    public static async Task WriteRecordWithParacetamol(IPage doctor)
    {
        await Assertions.Expect(doctor.Locator("#record")).ToBeVisibleAsync();
        await doctor.FillAsync("#v-systolic", "128");
        await doctor.FillAsync("#v-diastolic", "82");
        await doctor.FillAsync("#n-complaints", "Fever for two days");
        await doctor.FillAsync("#d-text", "Viral fever");
        await doctor.SelectOptionAsync("#d-system", "icd10");
        await doctor.FillAsync("#d-code", "B34.9");
        var row = doctor.Locator("#medicines .medicine").First;
        await row.Locator(".generic").PressSequentiallyAsync("paracetamol");
        await Assertions.Expect(row.Locator(".list")).ToHaveTextAsync("List O: any mode");
        await row.Locator(".form").SelectOptionAsync("tablet");
        await row.Locator(".strength").FillAsync("500 mg");
        await row.Locator(".dose").FillAsync("1-0-1");
        await row.Locator(".days").FillAsync("3");
        await row.Locator(".quantity").FillAsync("6");
        await row.Locator(".instructions").FillAsync("खाने के बाद");
        await doctor.ClickAsync("#record-save");
        await Assertions.Expect(doctor.Locator("#record-status")).ToHaveTextAsync("Record saved.");
    }

    /// <summary>
    /// The doctor signs and completes on the page: the first completion that signs asks for their password to unlock
    /// their signing key, and the page signs once it is unlocked.
    /// </summary>
    public static async Task SignAndComplete(IPage doctor, string password = "telemed-demo")
    {
        await doctor.ClickAsync("#complete");
        await Assertions.Expect(doctor.Locator("#signing-unlock")).ToBeVisibleAsync();
        await doctor.FillAsync("#signing-unlock-password", password);
        await doctor.ClickAsync("#signing-unlock-yes");
        await Assertions.Expect(doctor.Locator("#signing-unlock")).ToBeHiddenAsync();
    }

    /// <summary>
    /// A signed prescription for paracetamol, made through the API as the doctor's and patient's apps would: queue, consult,
    /// write, complete. The patient needs the server's OTP resend cooldown at 0 when this runs more than once.
    /// </summary>
    public static async Task<(Guid PrescriptionId, string PatientToken)> IssuePrescription(BrowserFixture fixture, string patientMobile)
    {
        var visit = await CompletedVisit(fixture, patientMobile);
        return (visit.PrescriptionId, visit.PatientToken);
    }

    /// <summary>Dr. Asha Verma's completed visit with that signed prescription: its session, consultation, prescription and the patient's token.</summary>
    public static async Task<(Guid SessionId, Guid ConsultationId, Guid PrescriptionId, string PatientToken)> CompletedVisit(BrowserFixture fixture, string patientMobile)
    {
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var doctor = await fixture.SignIn("asha.verma@telemed.local");
        var patient = await fixture.PatientToken(patientMobile);
        await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/check-in", patient, new { });
        await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/call-next", doctor);
        var started = await (await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/tokens/1/start", doctor)).Content.ReadFromJsonAsync<JsonElement>();
        var consultationId = started.GetProperty("consultationId").GetGuid();
        var record = $"/api/consultations/{consultationId}/record";
        var etag = (await fixture.Send(HttpMethod.Get, record, doctor)).Headers.ETag!.Tag;
        etag = (await fixture.Send(HttpMethod.Put, $"{record}/diagnosis", doctor, new { text = "Viral fever" }, etag)).Headers.ETag!.Tag;
        await fixture.Send(HttpMethod.Put, $"{record}/prescription", doctor, new
        {
            kind = "firstConsult",
            medicines = new[] { new { generic = "paracetamol", strength = "500 mg", form = "tablet", dose = new { morning = 1, night = 1, unit = "tablet" }, route = "oral", durationDays = 3, quantity = 6 } },
        }, etag);
        await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/tokens/1/complete", doctor, signingUnlock: await fixture.UnlockSigning(doctor));
        var completed = await (await fixture.Send(HttpMethod.Get, record, doctor)).Content.ReadFromJsonAsync<JsonElement>();
        return (sessionId, consultationId, completed.GetProperty("prescriptionId").GetGuid(), patient);
    }
}
