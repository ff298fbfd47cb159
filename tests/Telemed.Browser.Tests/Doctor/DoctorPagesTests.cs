using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Doctor;

/// <summary>
/// The doctor's pages against the real server: running sessions, the queue rows, the patient panel with and without
/// consent, a TPG refusal at its medicine line, and a colleague invited into the room.
/// </summary>
[Collection(OneAtATime.Name)]
public class DoctorPagesTests(ResendCodesAtOnce fixture) : IClassFixture<ResendCodesAtOnce>
{
    private const string Asha = "asha.verma@telemed.local";
    private const string Rahul = "rahul.nair@telemed.local";
    private static readonly Guid AshaId = Guid.Parse("0193a000-0000-7000-8000-000000000011");

    [Fact]
    public async Task The_doctor_opens_a_session_pauses_resumes_and_closes_it_after_confirming()
    {
        var doctor = await fixture.NewPage();
        await Pages.SignInStaff(doctor, Rahul);
        await Assertions.Expect(doctor.Locator("#doctor-sessions-state")).ToHaveTextAsync("You have no OPD session open. Open one below.");

        await doctor.ClickAsync("#session-new summary");
        await Assertions.Expect(doctor.Locator("#ns-facility")).ToHaveValueAsync("0193a000-0000-7000-8000-000000000001");
        await doctor.FillAsync("#ns-specialty", "Paediatrics evening OPD");
        await doctor.ClickAsync("#ns-open");
        await Assertions.Expect(doctor.Locator("#ns-status")).ToHaveTextAsync("Session opened.");
        var item = doctor.Locator("#doctor-sessions li", new() { HasText = "Paediatrics evening OPD" });
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "open");
        var sessionId = await item.GetAttributeAsync("data-session-id");

        await item.Locator("button[data-session-action='pause']").ClickAsync();
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "paused");
        await Assertions.Expect(item).ToContainTextAsync("paused");
        await item.Locator("button[data-session-action='resume']").ClickAsync();
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "open");

        await item.Locator("button[data-session-action='close']").ClickAsync();
        await Assertions.Expect(doctor.Locator("#close-confirm")).ToBeVisibleAsync();
        await Assertions.Expect(doctor.Locator("#close-confirm-text")).ToContainTextAsync("0 patients still waiting will not be seen in this session");
        await doctor.ClickAsync("#close-confirm-no");
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "open");
        await item.Locator("button[data-session-action='close']").ClickAsync();
        await doctor.ClickAsync("#close-confirm-yes");
        await Assertions.Expect(item).ToHaveAttributeAsync("data-status", "closed");
        await Assertions.Expect(item.Locator("button[data-session-action]")).ToHaveCountAsync(0);

        var session = await (await fixture.Send(HttpMethod.Get, $"/api/sessions/{sessionId}", await fixture.SignIn(Rahul))).Content.ReadFromJsonAsync<JsonElement>();
        session.GetProperty("status").GetString().ShouldBe("closed");
    }

    [Fact]
    public async Task A_queue_row_shows_how_long_the_patient_has_waited_and_their_attachment_downloads()
    {
        var sessionId = await fixture.OpenSession(Asha);
        var patient = await fixture.PatientToken("+919812345678");
        var scan = "%PDF-1.4\n% a lab report\n"u8.ToArray();
        using (var form = new MultipartFormDataContent())
        {
            form.Add(new StringContent("Cough for a week"), "complaint");
            var file = new ByteArrayContent(scan);
            file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
            form.Add(file, "attachments", "chest-xray-report.pdf");
            using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/sessions/{sessionId}/check-in") { Content = form };
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", patient);
            (await fixture.Http.SendAsync(request)).EnsureSuccessStatusCode();
        }
        var doctor = await fixture.NewPage();

        await Pages.OpenQueue(doctor, Asha, sessionId);

        var row = doctor.Locator("#queue li[data-token='1']");
        await Assertions.Expect(row.Locator(".waited")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(checked in just now|waiting \\d+ min)$"));
        await Assertions.Expect(row.Locator(".complaint")).ToHaveTextAsync("Cough for a week");
        var download = await doctor.RunAndWaitForDownloadAsync(() => row.Locator("button.attachment", new() { HasText = "chest-xray-report.pdf" }).ClickAsync());
        download.SuggestedFilename.ShouldBe("chest-xray-report.pdf");
        (await File.ReadAllBytesAsync((await download.PathAsync())!)).ShouldBe(scan);
    }

    [Fact]
    public async Task Past_records_show_only_with_the_patients_consent_and_the_page_says_what_the_patient_must_do_without_it()
    {
        await Pages.IssuePrescription(fixture, "+919876543210");
        var sessionId = await fixture.OpenSession(Asha);
        var patient = await fixture.PatientToken("+919876543210");
        await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/check-in", patient, new { complaint = "Follow-up of fever" });
        var doctor = await fixture.NewPage();
        await Pages.OpenQueue(doctor, Asha, sessionId);
        var panel = doctor.Locator("#patient-panel");

        await doctor.Locator("#queue li[data-token='1'] button[data-action='details']").ClickAsync();

        await Assertions.Expect(panel).ToHaveAttributeAsync("data-records", "noConsent");
        await Assertions.Expect(doctor.Locator("#past-records-state")).ToContainTextAsync("they have not given you consent. Ask the patient to allow you");
        await Assertions.Expect(doctor.Locator("#patient-summary")).ToContainTextAsync("Priya Sharma");
        await Assertions.Expect(doctor.Locator("#patient-summary")).ToContainTextAsync("Follow-up of fever");
        await Assertions.Expect(doctor.Locator("#past-records li")).ToHaveCountAsync(0);

        await fixture.Send(HttpMethod.Post, "/api/records/consents", patient, new { doctorId = AshaId, days = 7 });
        await doctor.Locator("#queue li[data-token='1'] button[data-action='details']").ClickAsync();

        await Assertions.Expect(panel).ToHaveAttributeAsync("data-records", "list");
        await Assertions.Expect(doctor.Locator("#past-records li")).ToHaveCountAsync(1);
        await Assertions.Expect(doctor.Locator("#past-records li")).ToContainTextAsync("Dr. Asha Verma (completed)");
        // Priya gave her ABHA at registration but never proved it through ABDM, so the doctor is not shown it.
        await Assertions.Expect(doctor.Locator("#patient-summary")).ToContainTextAsync("no ABHA linked");
    }

    [Fact]
    public async Task A_TPG_refusal_is_shown_at_its_medicine_line_and_the_prescription_is_not_signed()
    {
        var (doctor, _, _) = await Pages.PatientWaiting(fixture, "7012345678");
        await doctor.ClickAsync("#call-next");
        await doctor.ClickAsync("#start");
        await Assertions.Expect(doctor.Locator("#patient-summary")).ToContainTextAsync("Fatima Shaikh");
        // Fatima declared an ABHA at registration but never proved it through ABDM: the consultation does not name it either.
        await Assertions.Expect(doctor.Locator("#patient-summary")).ToContainTextAsync("no ABHA linked");
        await doctor.FillAsync("#d-text", "Essential hypertension");
        var line = doctor.Locator("#medicines .medicine").First;
        await line.Locator(".generic").PressSequentiallyAsync("amlodipine");
        await Assertions.Expect(line.Locator(".list")).ToHaveTextAsync("Chronic disease: refill (List A) or add-on (List B) on follow-up");
        // A chronic-disease medicine is never started by telemedicine: the line offers it as a refill.
        await Assertions.Expect(line.Locator(".purpose")).ToHaveValueAsync("refill");
        await line.Locator(".form").SelectOptionAsync("tablet");
        await line.Locator(".strength").FillAsync("5 mg");
        await line.Locator(".dose").FillAsync("1-0-0");
        await Assertions.Expect(line.Locator(".unit")).ToHaveValueAsync("tablet");
        await line.Locator(".days").FillAsync("30");
        await line.Locator(".quantity").FillAsync("30");
        // The course the dose takes is shown next to the quantity, as the doctor types.
        await Assertions.Expect(line.Locator(".course")).ToHaveTextAsync("Course: 30");

        await doctor.ClickAsync("#complete");

        await Assertions.Expect(line.Locator(".line-error")).ToContainTextAsync("amlodipine is prescribed as a refill, which TPG 2020 allows on a follow-up only");
        await Assertions.Expect(line).ToHaveAttributeAsync("data-invalid", "true");
        await Assertions.Expect(line.Locator(".generic")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(doctor.Locator("#completed")).ToHaveTextAsync("");
        await Assertions.Expect(doctor.Locator("#queue li[data-token='1']")).ToHaveAttributeAsync("data-state", "inConsultation");
        await Axe.ShouldHaveNoSeriousViolations(doctor, "consultation with a TPG refusal (en)");
    }

    [Fact]
    public async Task The_doctor_records_an_allergy_sees_the_warning_at_its_line_and_signs_after_overriding_it_with_a_reason()
    {
        // Ramesh, not Priya: her past records are counted in another test, and this one completes a consultation.
        var (doctor, _, _) = await Pages.PatientWaiting(fixture, "9812345678");
        await doctor.ClickAsync("#call-next");
        await doctor.ClickAsync("#start");
        await Assertions.Expect(doctor.Locator("#patient-summary")).ToContainTextAsync("Ramesh Kumar");
        // A man of seventy: neither the pregnancy question nor an accompanying adult.
        await Assertions.Expect(doctor.Locator("#p-pregnancy-field")).ToBeHiddenAsync();
        await Assertions.Expect(doctor.Locator("#p-adult")).ToBeHiddenAsync();

        await doctor.FillAsync("#allergy-substance", "Cetirizine");
        await doctor.FillAsync("#allergy-reaction", "angioedema");
        await doctor.SelectOptionAsync("#allergy-severity", "severe");
        await doctor.CheckAsync("#allergy-verified");
        await doctor.ClickAsync("#allergy-add");
        await Assertions.Expect(doctor.Locator("#patient-allergies")).ToContainTextAsync("cetirizine: severe angioedema (verified)");

        await doctor.FillAsync("#d-text", "Allergic rhinitis");
        var line = doctor.Locator("#medicines .medicine").First;
        await line.Locator(".generic").PressSequentiallyAsync("cetirizine");
        await Assertions.Expect(line.Locator(".list")).ToHaveTextAsync("List O: any mode");
        await line.Locator(".form").SelectOptionAsync("tablet");
        await line.Locator(".strength").FillAsync("10 mg");
        await line.Locator(".dose").FillAsync("0-0-1");
        await line.Locator(".days").FillAsync("5");
        await line.Locator(".quantity").FillAsync("5");
        await doctor.ClickAsync("#record-save");

        var warning = line.Locator(".safety-warning");
        await Assertions.Expect(warning).ToContainTextAsync("the patient is allergic to cetirizine (severe angioedema, verified by a doctor)");
        await Assertions.Expect(doctor.Locator("#record-status")).Not.ToHaveTextAsync("Record saved.");
        await Axe.ShouldHaveNoSeriousViolations(doctor, "a prescription with a safety warning (en)");
        await warning.Locator(".override-reason").FillAsync("Reaction was to a combination cold remedy; tolerated cetirizine since.");
        await doctor.ClickAsync("#record-save");
        await Assertions.Expect(doctor.Locator("#record-status")).ToHaveTextAsync("Record saved.");
        await Assertions.Expect(line.Locator(".safety-warning")).ToHaveCountAsync(0);

        await Pages.SignAndComplete(doctor);
        await Assertions.Expect(doctor.Locator("#completed")).ToContainTextAsync("signed");
        var consultationId = (await (await fixture.Send(HttpMethod.Get, "/api/records", await fixture.PatientToken("+919812345678")))
            .Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray().First(r => r.GetProperty("status").GetString() == "completed")
            .GetProperty("consultationId").GetGuid();
        var record = await (await fixture.Send(HttpMethod.Get, $"/api/consultations/{consultationId}/record", await fixture.SignIn(Asha)))
            .Content.ReadFromJsonAsync<JsonElement>();
        record.GetProperty("overrides").EnumerateArray().ShouldHaveSingleItem().GetProperty("reason").GetString()
            .ShouldBe("Reaction was to a combination cold remedy; tolerated cetirizine since.");
    }

    [Fact]
    public async Task An_invited_doctor_is_told_joins_the_room_and_chats_while_the_call_stays_connected()
    {
        var colleague = await fixture.NewPage();
        await Pages.SignInStaff(colleague, Rahul);
        await Assertions.Expect(colleague.Locator("#invitations")).ToHaveTextAsync("No invitations right now.");
        var (doctor, patient, _) = await Pages.PatientWaiting(fixture, "9812345678");
        await doctor.ClickAsync("#call-next");
        await doctor.ClickAsync("#start");
        await doctor.WaitForFunctionAsync("() => window.telemed.call?.pc?.connectionState === 'connected'", null, new() { Timeout = 30_000 });

        await doctor.SelectOptionAsync("#invite-staff", new SelectOptionValue { Label = "Dr. Rahul Nair — Paediatrics" });
        await doctor.ClickAsync("#invite-send");
        await Assertions.Expect(doctor.Locator("#invite-status")).ToHaveTextAsync("Dr. Rahul Nair can now join the room.");

        var join = colleague.Locator("#invitations button", new() { HasText = "Join token 1 with Dr. Asha Verma" });
        await join.ClickAsync();
        await Assertions.Expect(colleague.Locator("#staff-room-status")).ToContainTextAsync("You are in the room");
        await colleague.FillAsync("#staff-chat-text", "Namaste, I am the paediatrician");
        await colleague.ClickAsync("#staff-chat-send");
        await Assertions.Expect(patient.Locator("#chat-log")).ToContainTextAsync("Invited colleague: Namaste, I am the paediatrician");
        await Assertions.Expect(doctor.Locator("#chat-log")).ToContainTextAsync("Invited colleague: Namaste, I am the paediatrician");
        await patient.FillAsync("#chat-text", "Thank you, doctor");
        await patient.ClickAsync("#chat-send");
        await Assertions.Expect(colleague.Locator("#staff-chat-log")).ToContainTextAsync("Ramesh Kumar: Thank you, doctor");

        (await doctor.EvaluateAsync<string>("() => window.telemed.call.pc.connectionState")).ShouldBe("connected", await fixture.Diagnose(doctor, patient));
        await colleague.ClickAsync("#staff-room-leave");
        await Assertions.Expect(colleague.Locator("#staff-room-status")).ToHaveTextAsync("You left the room.");
        await Task.Delay(1000);
        (await doctor.EvaluateAsync<string>("() => window.telemed.call.pc.connectionState")).ShouldBe("connected", "the colleague leaving does not end the call");
        await Assertions.Expect(doctor.Locator("#call-status")).Not.ToHaveTextAsync("The other side left the call.");
    }

}
