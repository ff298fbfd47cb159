using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Telemed.Browser.Tests.Support;

/// <summary>What people do in the web client, step by step, shared by the browser tests.</summary>
public static class Pages
{
    public static async Task SignInStaff(IPage page, string email, string start = "/")
    {
        await page.GotoAsync(start);
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", "telemed-demo");
        await page.ClickAsync("#staff-signin");
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
        await page.ClickAsync("#send-code");
        await page.WaitForFunctionAsync("() => document.getElementById('error').textContent === ''");
        await Task.Delay(300);
        await page.FillAsync("#code", await fixture.LatestCode("+91" + mobile));
        await page.ClickAsync("#patient-signin");
    }

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
    public static async Task<(IPage Doctor, IPage Patient, Guid SessionId)> PatientWaiting(BrowserFixture fixture, string mobile, Uri? patientNode = null)
    {
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var doctor = await fixture.NewPage();
        var patient = await fixture.NewPage(patientNode);
        await OpenQueue(doctor, "asha.verma@telemed.local", sessionId);
        await CheckIn(patient, fixture, mobile, sessionId);
        await Assertions.Expect(patient.Locator("#token")).ToHaveTextAsync("1");
        // The doctor's list shows the newcomer live (pushed, not reloaded), in place 1.
        var row = doctor.Locator("#queue li[data-token='1']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "waiting");
        await Assertions.Expect(row).ToContainTextAsync("place 1");
        return (doctor, patient, sessionId);
    }

    /// <summary>
    /// A signed prescription for paracetamol, made through the API as the doctor's and patient's apps would: queue, consult,
    /// write, complete. The patient needs the server's OTP resend cooldown at 0 when this runs more than once.
    /// </summary>
    public static async Task<(Guid PrescriptionId, string PatientToken)> IssuePrescription(BrowserFixture fixture, string patientMobile)
    {
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var doctor = await fixture.SignIn("asha.verma@telemed.local");
        await fixture.Send(HttpMethod.Post, "/api/auth/otp", null, new { mobile = patientMobile });
        var code = await fixture.LatestCode(patientMobile);
        var patient = (await (await fixture.Send(HttpMethod.Post, "/api/auth/otp/verify", null, new { mobile = patientMobile, code }))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
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
            medicines = new[] { new { generic = "paracetamol", strength = "500 mg", form = "tablet", dose = "1 tablet", frequency = "1-0-1", route = "oral", durationDays = 3, quantity = 6 } },
        }, etag);
        await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/tokens/1/complete", doctor);
        var completed = await (await fixture.Send(HttpMethod.Get, record, doctor)).Content.ReadFromJsonAsync<JsonElement>();
        return (completed.GetProperty("prescriptionId").GetGuid(), patient);
    }
}
