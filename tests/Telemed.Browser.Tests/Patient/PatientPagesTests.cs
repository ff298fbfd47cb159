using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Patient;

/// <summary>The patient's pages against the real server: check-in with a complaint and a file, finding an OPD, leaving the queue, records and consents.</summary>
[Collection(OneAtATime.Name)]
public class PatientPagesTests(ResendCodesAtOnce fixture) : IClassFixture<ResendCodesAtOnce>
{
    private const string DemoFacility = "0193a000-0000-7000-8000-000000000001";
    private const string RahulId = "0193a000-0000-7000-8000-000000000012";

    // A PDF is known by its first bytes; the server checks them.
    private static readonly byte[] Report = "%PDF-1.4\n% a lab report\n"u8.ToArray();

    private async Task<JsonElement> Get(string path, string token) =>
        await (await fixture.Send(HttpMethod.Get, path, token)).Content.ReadFromJsonAsync<JsonElement>();

    private async Task<Guid> OpenSessionAs(string admin, string facilityId, string doctorId, string? specialty)
    {
        var response = await fixture.Send(HttpMethod.Post, "/api/sessions", admin, new
        {
            facilityId = Guid.Parse(facilityId),
            doctorIds = new[] { Guid.Parse(doctorId) },
            startsAt = DateTimeOffset.UtcNow.AddMinutes(-1),
            endsAt = DateTimeOffset.UtcNow.AddHours(2),
            capacity = 20,
            specialty,
        });
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    [Fact]
    public async Task A_free_check_in_with_a_complaint_and_a_report_shows_up_in_the_doctors_queue_row()
    {
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var doctor = await fixture.NewPage();
        await Pages.OpenQueue(doctor, "asha.verma@telemed.local", sessionId);
        var patient = await fixture.NewPage();
        await Pages.SignInPatient(patient, fixture, "9876543210");
        await Pages.OpenCheckIn(patient, sessionId);
        await Assertions.Expect(patient.Locator("#checkin-fee")).ToHaveTextAsync("This consultation is free.");

        await patient.FillAsync("#checkin-complaint", "Cough and fever for three days");
        await patient.SetInputFilesAsync("#checkin-files", new FilePayload { Name = "notes.txt", MimeType = "text/plain", Buffer = "not a report"u8.ToArray() });
        await patient.ClickAsync("#checkin-submit");
        await Assertions.Expect(patient.Locator("#checkin-problems")).ToHaveTextAsync("notes.txt is not a JPEG, PNG or WebP image or a PDF.");
        await Assertions.Expect(patient.Locator("#waiting")).ToBeHiddenAsync();

        await patient.SetInputFilesAsync("#checkin-files", new FilePayload { Name = "cbc-report.pdf", MimeType = "application/pdf", Buffer = Report });
        await patient.ClickAsync("#checkin-submit");

        await Assertions.Expect(patient.Locator("#token")).ToHaveTextAsync("1");
        await Assertions.Expect(patient.Locator("#checkin-form")).ToBeHiddenAsync();
        await Assertions.Expect(patient.Locator("#find-opd")).ToBeHiddenAsync();
        var row = doctor.Locator("#queue li[data-token='1']");
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "waiting");
        await Assertions.Expect(row.Locator(".complaint")).ToHaveTextAsync("Cough and fever for three days");
        var asha = await fixture.SignIn("asha.verma@telemed.local");
        var attachment = (await Get($"/api/sessions/{sessionId}/queue", asha)).GetProperty("rows")[0].GetProperty("attachments").EnumerateArray().Single();
        attachment.GetProperty("fileName").GetString().ShouldBe("cbc-report.pdf");
        var file = await fixture.Send(HttpMethod.Get, $"/api/sessions/{sessionId}/attachments/{attachment.GetProperty("id").GetGuid()}", asha);
        (await file.Content.ReadAsByteArrayAsync()).ShouldBe(Report);
    }

    [Fact]
    public async Task The_OPD_a_keyboard_user_is_on_keeps_the_focus_when_the_list_is_drawn_again()
    {
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var patient = await fixture.NewPage();
        // The facilities are held back until the patient is on the OPD's button; when they come, the list is drawn again.
        var onTheButton = new TaskCompletionSource();
        await patient.Context.RouteAsync("**/api/facilities", async route =>
        {
            await onTheButton.Task;
            await route.ContinueAsync();
        });
        await Pages.SignInPatient(patient, fixture, "9812345678");
        await patient.Locator($"#sessions button[data-session='{sessionId}']").FocusAsync();
        onTheButton.SetResult();

        await Assertions.Expect(patient.Locator("#filter-facility option:not([value=''])").First).ToBeAttachedAsync();
        (await patient.EvaluateAsync<string?>("() => document.activeElement?.dataset.session")).ShouldBe(sessionId.ToString());
        await patient.Keyboard.PressAsync("Enter");
        await Assertions.Expect(patient.Locator($"#checkin-form[data-session='{sessionId}']")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_patient_checks_in_with_the_keyboard_alone_and_lands_in_the_waiting_room()
    {
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var patient = await fixture.NewPage();
        await Pages.SignInPatient(patient, fixture, "9812345678");
        async Task<string> Focused() => await patient.EvaluateAsync<string>("() => document.activeElement?.id ?? ''");

        await patient.Locator($"#sessions button[data-session='{sessionId}']").FocusAsync();
        await patient.Keyboard.PressAsync("Enter");
        await Assertions.Expect(patient.Locator("#checkin-form")).ToBeVisibleAsync();
        (await Focused()).ShouldBe("checkin-heading", "the form's heading takes the focus, so a screen reader says which OPD it is");
        await patient.Keyboard.PressAsync("Tab");
        (await Focused()).ShouldBe("checkin-complaint");
        await patient.Keyboard.TypeAsync("Headache since morning");
        await patient.Keyboard.PressAsync("Tab");
        (await Focused()).ShouldBe("checkin-files");
        await patient.Keyboard.PressAsync("Tab");
        (await Focused()).ShouldBe("checkin-submit");
        await patient.Keyboard.PressAsync("Enter");

        await Assertions.Expect(patient.Locator("#token")).ToHaveTextAsync("1");
        (await Focused()).ShouldBe("waiting-heading");
    }

    [Fact]
    public async Task Patients_narrow_the_open_OPDs_by_facility_specialty_and_doctor_and_are_told_when_none_match()
    {
        var admin = await fixture.SignIn("admin@telemed.local");
        var hfr = $"IN29{Random.Shared.Next(10_000_000, 99_999_999)}";
        var facility = await (await fixture.Send(HttpMethod.Post, "/api/admin/facilities", admin,
            new { hfrId = hfr, name = "PHC Hebbal", district = "Bengaluru Urban", state = "Karnataka" })).Content.ReadFromJsonAsync<JsonElement>();
        var hebbal = facility.GetProperty("id").GetString()!;
        var general = await OpenSessionAs(admin, DemoFacility, "0193a000-0000-7000-8000-000000000011", "General Medicine");
        var children = await OpenSessionAs(admin, hebbal, RahulId, null);
        var patient = await fixture.NewPage();
        await Pages.SignInPatient(patient, fixture, "7012345678");
        var listed = (Guid id) => patient.Locator($"#sessions button[data-session='{id}']");
        await Assertions.Expect(listed(general)).ToBeVisibleAsync();
        await Assertions.Expect(listed(children)).ToBeVisibleAsync();

        await patient.SelectOptionAsync("#filter-facility", hebbal);
        await Assertions.Expect(listed(general)).ToHaveCountAsync(0);
        await Assertions.Expect(listed(children)).ToBeVisibleAsync();
        await Assertions.Expect(patient.Locator($"#sessions li:has(button[data-session='{children}']) p")).ToContainTextAsync("PHC Hebbal");

        await patient.SelectOptionAsync("#filter-facility", "");
        await patient.SelectOptionAsync("#filter-specialty", "Paediatrics");
        await Assertions.Expect(listed(children)).ToBeVisibleAsync();
        await Assertions.Expect(listed(general)).ToHaveCountAsync(0);

        await patient.SelectOptionAsync("#filter-specialty", "");
        await patient.SelectOptionAsync("#filter-doctor", new SelectOptionValue { Label = "Dr. Asha Verma (General Medicine)" });
        await Assertions.Expect(listed(general)).ToBeVisibleAsync();
        await Assertions.Expect(listed(children)).ToHaveCountAsync(0);

        await patient.SelectOptionAsync("#filter-facility", hebbal);
        await Assertions.Expect(patient.Locator("#sessions li")).ToHaveCountAsync(0);
        await Assertions.Expect(patient.Locator("#sessions-status")).ToHaveTextAsync("No open OPD matches these choices. Choose \"All\" in one of the lists to see more.");
    }

    [Fact]
    public async Task A_patient_who_leaves_the_queue_gives_up_the_token_after_confirming()
    {
        var (doctor, patient, sessionId) = await Pages.PatientWaiting(fixture, "9812345678");

        await patient.ClickAsync("#leave-queue");
        await Assertions.Expect(patient.Locator("#leave-confirm")).ToBeVisibleAsync();
        await patient.ClickAsync("#leave-no");
        await Assertions.Expect(patient.Locator("#token-state")).ToHaveTextAsync("Waiting");
        await patient.ClickAsync("#leave-queue");
        await patient.ClickAsync("#leave-yes");

        await Assertions.Expect(patient.Locator("#token-state")).ToHaveTextAsync("Cancelled");
        await Assertions.Expect(patient.Locator("#leave")).ToBeHiddenAsync();
        await Assertions.Expect(patient.Locator("#find-opd")).ToBeVisibleAsync();
        await Assertions.Expect(doctor.Locator("#queue li[data-token='1']")).ToHaveAttributeAsync("data-state", "cancelled");
        var asha = await fixture.SignIn("asha.verma@telemed.local");
        (await Get($"/api/sessions/{sessionId}/queue", asha)).GetProperty("rows")[0].GetProperty("state").GetString().ShouldBe("cancelled");
    }

    [Fact]
    public async Task The_prescription_is_shown_in_the_page_and_a_consent_given_there_lets_a_doctor_read_until_it_is_withdrawn()
    {
        var (prescriptionId, _) = await Pages.IssuePrescription(fixture, "+919876543210");
        var patient = await fixture.NewPage();
        await Pages.SignInPatient(patient, fixture, "9876543210");
        await Assertions.Expect(patient.Locator("#profile-facts")).ToContainTextAsync("Priya Sharma");

        await patient.ClickAsync("#records-open");
        await patient.ClickAsync($"#records button[data-action='show-prescription']");
        var prescription = patient.Locator($"#prescription[data-prescription='{prescriptionId}']");
        await Assertions.Expect(prescription).ToBeVisibleAsync();
        var line = prescription.Locator("tbody tr").First;
        await Assertions.Expect(line.Locator("th")).ToHaveTextAsync("paracetamol 500 mg tablet");
        await Assertions.Expect(line.Locator("td").Nth(1)).ToHaveTextAsync("1-0-1 (1 morning, 0 afternoon, 1 night)");
        await Assertions.Expect(line.Locator("td").Nth(2)).ToHaveTextAsync("3 days");
        await Assertions.Expect(prescription.Locator("#prescription-facts")).ToContainTextAsync("Diagnosis: Viral fever");

        var patientId = fixture.AccountId(patient);
        var rahul = await fixture.SignIn("rahul.nair@telemed.local");
        async Task<HttpStatusCode> RahulReads()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/patients/{patientId}/records");
            request.Headers.Authorization = new("Bearer", rahul);
            return (await fixture.Http.SendAsync(request)).StatusCode;
        }
        (await RahulReads()).ShouldBe(HttpStatusCode.NotFound);
        await Assertions.Expect(patient.Locator("#consents")).ToContainTextAsync("No doctor has your permission now.");

        await patient.SelectOptionAsync("#consent-doctor", RahulId);
        await patient.FillAsync("#consent-days", "7");
        await patient.ClickAsync("#consent-grant");

        var consent = patient.Locator($"#consents li[data-doctor='{RahulId}']");
        await Assertions.Expect(consent).ToContainTextAsync("Dr. Rahul Nair, until");
        (await RahulReads()).ShouldBe(HttpStatusCode.OK);
        await patient.ClickAsync("#records-open");
        await Assertions.Expect(patient.Locator("#access-log tbody")).ToContainTextAsync("Dr. Rahul Nair");
        await Assertions.Expect(patient.Locator("#access-log tbody tr", new() { HasText = "Dr. Rahul Nair" })).ToContainTextAsync("with your permission");

        await consent.Locator("button[data-action='withdraw']").ClickAsync();

        await Assertions.Expect(consent).ToHaveCountAsync(0);
        await Assertions.Expect(patient.Locator("#consent-status")).ToHaveTextAsync("Dr. Rahul Nair may no longer read your records.");
        (await RahulReads()).ShouldBe(HttpStatusCode.NotFound);
    }

    /// <summary>
    /// The refresh token is in an HttpOnly cookie for /api/auth only and the access token in the page's memory: nothing a
    /// script of the page can read after a reload holds either, and the reload signs back in through the cookie.
    /// </summary>
    [Fact]
    public async Task The_refresh_token_is_out_of_the_pages_reach_and_a_reload_refreshes_through_its_cookie()
    {
        var page = await fixture.NewPage();
        await Pages.SignInPatient(page, fixture, "9876543210");
        await Assertions.Expect(page.Locator("#patient")).ToBeVisibleAsync();
        var accountId = fixture.AccountId(page);
        var accessToken = fixture.AccessToken(page)!;

        var cookie = (await page.Context.CookiesAsync()).Single(c => c.Name == "telemed-refresh");
        cookie.HttpOnly.ShouldBeTrue();
        cookie.SameSite.ShouldBe(SameSiteAttribute.Strict);
        cookie.Path.ShouldBe("/api/auth");
        DateTimeOffset.FromUnixTimeSeconds((long)cookie.Expires).ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddDays(6), "as long as the refresh token");
        var readable = await page.EvaluateAsync<string>(
            "() => JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage }, cookies: document.cookie })");
        readable.ShouldNotContain(cookie.Value);
        (await page.EvaluateAsync<bool>("() => [...Object.values(sessionStorage), ...Object.values(localStorage)].some(v => v.includes('\"refreshToken\"'))"))
            .ShouldBeFalse("no stored answer has a refresh token");
        (await page.EvaluateAsync<string>("() => document.cookie")).ShouldNotContain("telemed-refresh");
        readable.ShouldNotContain(accessToken);

        await page.ReloadAsync();

        await Assertions.Expect(page.Locator("#patient")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#signin")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#error")).ToHaveTextAsync("");
        fixture.AccountId(page).ShouldBe(accountId);
        fixture.AccessToken(page).ShouldNotBe(accessToken, "the reload took a fresh access token");
        // What a script finds after the reload: no token of either kind (a JWT starts "eyJ"), in storage or cookies.
        var afterReload = await page.EvaluateAsync<string>(
            "() => JSON.stringify({ session: { ...sessionStorage }, local: { ...localStorage }, cookies: document.cookie })");
        afterReload.ShouldNotContain("eyJ");
        afterReload.ShouldNotContain(fixture.AccessToken(page)!);
        (await page.Context.CookiesAsync()).Single(c => c.Name == "telemed-refresh").Value.ShouldNotBe(cookie.Value, "the refresh went through the cookie, which rotated");
    }

    [Fact]
    public async Task When_the_doctor_completes_the_consultation_the_waiting_patient_sees_the_prescription()
    {
        var (_, patient, sessionId) = await Pages.PatientWaiting(fixture, "7012345678");
        var doctor = await fixture.SignIn("asha.verma@telemed.local");
        await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/call-next", doctor);
        var started = await (await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/tokens/1/start", doctor)).Content.ReadFromJsonAsync<JsonElement>();
        var record = $"/api/consultations/{started.GetProperty("consultationId").GetGuid()}/record";
        var etag = (await fixture.Send(HttpMethod.Get, record, doctor)).Headers.ETag!.Tag;
        etag = (await fixture.Send(HttpMethod.Put, $"{record}/diagnosis", doctor, new { text = "Acute pharyngitis" }, etag)).Headers.ETag!.Tag;
        await fixture.Send(HttpMethod.Put, $"{record}/prescription", doctor, new
        {
            kind = "firstConsult",
            medicines = new[] { new { generic = "cetirizine", strength = "10 mg", form = "tablet", dose = new { night = 1, unit = "tablet" }, route = "oral", durationDays = 5, quantity = 5, instructions = "At bedtime" } },
        }, etag);

        await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/tokens/1/complete", doctor, signingUnlock: await fixture.UnlockSigning(doctor));

        await Assertions.Expect(patient.Locator("#token-state")).ToHaveTextAsync("Consultation completed");
        await Assertions.Expect(patient.Locator("#after-call-status")).ToHaveTextAsync("Your prescription is shown below, under My health records.");
        var line = patient.Locator("#prescription tbody tr").First;
        await Assertions.Expect(line.Locator("th")).ToHaveTextAsync("cetirizine 10 mg tablet");
        await Assertions.Expect(line.Locator("td").Nth(4)).ToHaveTextAsync("At bedtime");
        await Assertions.Expect(patient.Locator("#find-opd")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_new_patient_registers_on_a_phone_adds_a_child_and_checks_the_child_in()
    {
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var mobile = "7" + Random.Shared.NextInt64(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var page = await fixture.NewPage();
        await page.SetViewportSizeAsync(360, 740);
        await page.GotoAsync("/");

        // The language first, then the number and its code: a new number is asked who they are only once the code is right.
        await page.Locator("#patient-language input[value='hi']").CheckAsync();
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "hi");
        await page.FillAsync("#mobile", mobile);
        var asked = DateTimeOffset.UtcNow;
        await page.ClickAsync("#send-code");
        await Assertions.Expect(page.Locator("#code-sent")).ToContainTextAsync(mobile);
        await page.FillAsync("#code", await fixture.LatestCode("+91" + mobile, asked));
        await page.ClickAsync("#patient-signin");
        await Assertions.Expect(page.Locator("#register-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#register-language")).ToHaveValueAsync("hi");
        await Axe.ShouldHaveNoSeriousViolations(page, "registration (hi)");

        await page.ClickAsync("#register-submit");
        await Assertions.Expect(page.Locator("#register-name")).ToHaveAttributeAsync("aria-invalid", "true");
        await page.FillAsync("#register-name", "Sunita Rao");
        await page.FillAsync("#register-yearOfBirth", "1986");
        await page.SelectOptionAsync("#register-sex", "female");
        await page.FillAsync("#register-email", "sunita.rao@example.org");
        await page.ClickAsync("#register-submit");

        await Assertions.Expect(page.Locator("#welcome-heading")).ToHaveTextAsync("स्वागत है, Sunita Rao");
        await Assertions.Expect(page.Locator("#welcome-abha-verify")).ToBeVisibleAsync();
        var guardianToken = fixture.AccessToken(page)!;
        var me = await (await fixture.Send(HttpMethod.Get, "/api/me", guardianToken)).Content.ReadFromJsonAsync<JsonElement>();
        me.GetProperty("language").GetString().ShouldBe("hi");
        me.GetProperty("email").GetString().ShouldBe("sunita.rao@example.org");
        await page.ClickAsync("#welcome-later");

        // A child on the same number.
        await page.ClickAsync("#family-add");
        await page.FillAsync("#family-name", "Aarav Rao");
        await page.FillAsync("#family-yearOfBirth", (DateTimeOffset.UtcNow.Year - 7).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.SelectOptionAsync("#family-sex", "male");
        await page.SelectOptionAsync("#family-relation", "parent");
        await page.ClickAsync("#family-save");
        var child = page.Locator("#family-members li", new() { HasText = "Aarav Rao" });
        await Assertions.Expect(child).ToContainTextAsync("माता या पिता");
        await Axe.ShouldHaveNoSeriousViolations(page, "the family (hi)");

        // Consulting for the child: the page is the child's, and the guardian is the adult who comes along.
        await child.Locator("button[data-action='act']").ClickAsync();
        await Assertions.Expect(page.Locator("#acting-text")).ToContainTextAsync("Aarav Rao");
        // The child's sign-in is held beside the guardian's own, each refresh token in a cookie of its own that no script reads.
        (await page.Context.CookiesAsync()).Where(c => c.HttpOnly).Select(c => c.Name).Order().ShouldBe(["telemed-refresh", "telemed-refresh-acting"]);
        await Assertions.Expect(page.Locator("#family")).ToBeHiddenAsync();
        await Pages.OpenCheckIn(page, sessionId);
        await Assertions.Expect(page.Locator("#checkin-companion")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#checkin-companion-guardian")).ToBeCheckedAsync();
        await Assertions.Expect(page.Locator("#checkin-companion-guardian-label")).ToContainTextAsync("Sunita Rao");
        await Axe.ShouldHaveNoSeriousViolations(page, "a child's check-in (hi)");
        (await Pages.WiderThanTheScreen(page)).ShouldBeEmpty("nothing wider than a 360 px phone");
        await page.ClickAsync("#checkin-submit");
        await Assertions.Expect(page.Locator("#token")).ToHaveTextAsync("1");

        var row = (await Get($"/api/sessions/{sessionId}/queue", await fixture.SignIn("asha.verma@telemed.local"))).GetProperty("rows")[0];
        row.GetProperty("patient").GetProperty("name").GetString().ShouldBe("Aarav Rao");
        row.GetProperty("accompaniedBy").GetProperty("name").GetString().ShouldBe("Sunita Rao");
        row.GetProperty("accompaniedBy").GetProperty("accountId").GetGuid().ShouldBe(me.GetProperty("id").GetGuid());

        await page.ClickAsync("#acting-back");
        await Assertions.Expect(page.Locator("#family")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#acting")).ToBeHiddenAsync();
    }

    /// <summary>
    /// Waits until the element <paramref name="selector"/> finds carries an icon (a ::before mask). The lists re-render on
    /// every push, so the element is found afresh on each try rather than held across one.
    /// </summary>
    private static async Task ShouldShowIcon(IPage page, string selector)
    {
        try
        {
            await page.WaitForFunctionAsync("""
                selector => {
                  const element = document.querySelector(selector);
                  return element !== null && getComputedStyle(element, '::before').maskImage.startsWith('url(');
                }
                """, selector, new() { Timeout = 5_000 });
        }
        catch (TimeoutException)
        {
            throw new ShouldAssertException($"{selector} shows no icon");
        }
    }

    [Fact]
    public async Task On_a_phone_every_primary_action_of_the_patient_shows_an_icon_and_the_token_reads_across_a_room()
    {
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var patient = await fixture.NewPage();
        await patient.SetViewportSizeAsync(390, 844);
        await patient.GotoAsync("/");
        foreach (var id in new[] { "send-code", "patient-signin" })
        {
            await ShouldShowIcon(patient, $"#{id}");
        }

        await Pages.SignInPatient(patient, fixture, "9812345678");
        await ShouldShowIcon(patient, $"#sessions button[data-session='{sessionId}']");
        await ShouldShowIcon(patient, "#sessions button[data-action='book']");
        await Pages.OpenCheckIn(patient, sessionId);
        await ShouldShowIcon(patient, "#checkin-submit");
        // The icon adds nothing to what a screen reader says.
        await Assertions.Expect(patient.Locator("#checkin-submit")).ToHaveAccessibleNameAsync("Check in");
        await patient.ClickAsync("#checkin-submit");
        await Assertions.Expect(patient.Locator("#token")).ToHaveTextAsync("1");

        foreach (var id in new[] { "leave-queue", "precheck-run", "records-open", "call-mute", "call-camera", "audio-only", "hangup", "chat-send" })
        {
            await ShouldShowIcon(patient, $"#{id}");
        }
        var tokenPixels = await patient.EvaluateAsync<double>("() => parseFloat(getComputedStyle(document.getElementById('token')).fontSize)");
        tokenPixels.ShouldBeGreaterThanOrEqualTo(40);
    }

    [Fact]
    public async Task A_patient_reports_an_allergy_of_their_own_which_is_listed_as_not_verified()
    {
        var patient = await fixture.NewPage();
        await Pages.SignInPatient(patient, fixture, "9876543210");
        await patient.ClickAsync("#records-open");
        await Assertions.Expect(patient.Locator("#my-allergies-block")).ToBeVisibleAsync();

        await patient.FillAsync("#my-allergy-substance", "Sulfa drugs");
        await patient.FillAsync("#my-allergy-reaction", "itchy rash");
        await patient.SelectOptionAsync("#my-allergy-severity", "moderate");
        await patient.ClickAsync("#my-allergy-add");

        await Assertions.Expect(patient.Locator("#my-allergies")).ToContainTextAsync("sulfa drugs: moderate itchy rash (reported, not verified)");
        await Axe.ShouldHaveNoSeriousViolations(patient, "the patient's records with an allergy (en)");
    }

    [Fact]
    public async Task A_called_patient_hears_two_tones_and_the_phone_vibrates()
    {
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var doctor = await fixture.NewPage();
        var patient = await fixture.NewPage();
        // Record what the page asks of the speaker and the vibration motor (headless Chromium has neither).
        await patient.AddInitScriptAsync("""
            window.alerts = { vibrations: [], tones: 0 };
            navigator.vibrate = pattern => (window.alerts.vibrations.push(pattern), true);
            const start = OscillatorNode.prototype.start;
            OscillatorNode.prototype.start = function (...args) { window.alerts.tones++; return start.apply(this, args); };
            """);
        await Pages.OpenQueue(doctor, "asha.verma@telemed.local", sessionId);
        await Pages.CheckIn(patient, fixture, "7012345678", sessionId);
        await Assertions.Expect(patient.Locator("#token")).ToHaveTextAsync("1");
        (await patient.EvaluateAsync<int>("() => window.alerts.tones")).ShouldBe(0);

        await doctor.ClickAsync("#call-next");

        await patient.WaitForFunctionAsync("() => window.alerts.tones === 2");
        (await patient.EvaluateAsync<string>("() => JSON.stringify(window.alerts.vibrations)")).ShouldBe("[[300,150,300]]");
    }
}
