using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;
using Telemed.Server.Tests.Support;

namespace Telemed.Browser.Tests.Accessibility;

/// <summary>
/// Every page of the web client in English and in Hindi, and a new patient's first pages in every other language, in
/// the state people see them in: axe finds no serious or critical violation, and the README's screenshots
/// (docs/screenshots) are taken on the way.
/// </summary>
[Collection(OneAtATime.Name)]
public class PageTourTests(ResendCodesAtOnce fixture) : IClassFixture<ResendCodesAtOnce>
{
    private const string Facility = "0193a000-0000-7000-8000-000000000001";
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };
    /// <summary>
    /// The README's copies only when asked (TELEMED_SCREENSHOTS=1), so a test run leaves the tree clean (the pharmacist's
    /// page shows a fresh prescription id each time); otherwise a temporary folder, so taking them is still exercised.
    /// </summary>
    private static readonly string Screenshots = Environment.GetEnvironmentVariable("TELEMED_SCREENSHOTS") == "1"
        ? Path.Combine(ServerProcess.RepositoryRoot(), "docs", "screenshots")
        : Directory.CreateTempSubdirectory("telemed-screenshots-").FullName;

    [Theory]
    [InlineData("en", "9876543210")]
    [InlineData("hi", "7012345678")]
    public async Task Every_page_has_no_serious_accessibility_violations(string language, string mobile)
    {
        var (prescriptionId, _) = await Pages.IssuePrescription(fixture, "+91" + mobile);
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");

        var patient = await PageIn(language, Phone);
        await patient.GotoAsync("/");
        await Visit(patient, language, "signin");
        await Pages.SignInPatient(patient, fixture, mobile);
        await Pages.OpenCheckIn(patient, sessionId);
        await Visit(patient, language, "patient-checkin");
        await patient.ClickAsync("#checkin-submit");
        await Assertions.Expect(patient.Locator("#token")).ToHaveTextAsync("1");
        await Visit(patient, language, "waiting-room");
        await patient.ClickAsync("#precheck-run");
        await Assertions.Expect(patient.Locator("#precheck-verdict")).ToHaveAttributeAsync("data-verdict", "ready", new() { Timeout = 15_000 });
        await Visit(patient, language, "precheck");
        await patient.ClickAsync("#precheck-stop");

        var doctor = await PageIn(language, Desktop);
        await Pages.OpenQueue(doctor, "asha.verma@telemed.local", sessionId);
        await Assertions.Expect(doctor.Locator("#queue-controls")).ToBeVisibleAsync();
        await doctor.ClickAsync("#session-new summary");
        await Assertions.Expect(doctor.Locator("#doctor-sessions li").First).ToHaveAttributeAsync("data-status", "open");
        await Visit(doctor, language, "doctor-queue");
        await doctor.Locator("#queue li[data-token='1'] button[data-action='details']").ClickAsync();
        await Assertions.Expect(doctor.Locator("#patient-panel")).ToHaveAttributeAsync("data-records", "noConsent");
        await Visit(doctor, language, "doctor-patient");
        await doctor.Locator("#doctor-sessions li").First.Locator("button[data-session-action='close']").ClickAsync();
        await Assertions.Expect(doctor.Locator("#close-confirm")).ToBeVisibleAsync();
        await Visit(doctor, language, "doctor-close-session");
        await doctor.ClickAsync("#close-confirm-no");
        await doctor.ClickAsync("#call-next");

        // The call screen as both see it: connected, rated, the patient muted, a chat message read.
        await doctor.ClickAsync("#start");
        foreach (var page in new[] { doctor, patient })
        {
            await Assertions.Expect(page.Locator("#call-quality")).ToHaveAttributeAsync("data-level", new System.Text.RegularExpressions.Regex("^(good|fair|poor)$"), new() { Timeout = 20_000 });
        }
        await patient.ClickAsync("#call-mute");
        await Assertions.Expect(doctor.Locator("#call-notice")).Not.ToBeEmptyAsync();
        await doctor.FillAsync("#chat-text", "Namaste");
        await doctor.ClickAsync("#chat-send");
        await Assertions.Expect(doctor.Locator("#chat-log li[data-status='read']")).ToHaveCountAsync(1);
        await Visit(doctor, language, "call-doctor");
        await Visit(patient, language, "call-patient");

        var pharmacist = await PageIn(language, Desktop);
        await Pages.SignInStaff(pharmacist, "meena.iyer@telemed.local");
        await pharmacist.FillAsync("#rx-id", prescriptionId.ToString());
        await pharmacist.ClickAsync("#rx-check");
        await Assertions.Expect(pharmacist.Locator("#rx-verdict")).ToHaveAttributeAsync("data-verdict", "valid");
        await Visit(pharmacist, language, "pharmacist");

        // The admin home as the day goes: the session listed, a registration refused field by field, the deactivation question.
        var admin = await PageIn(language, Desktop);
        await Pages.SignInAdmin(admin);
        await Assertions.Expect(admin.Locator($"#adm-sessions tr[data-session='{sessionId}']")).ToBeVisibleAsync();
        await Pages.OpenRegistration(admin, "doctor");
        await admin.ClickAsync("#reg-doctor button.submit");
        await Assertions.Expect(admin.Locator("#reg-doctor-hprId")).ToHaveAttributeAsync("aria-invalid", "true");
        await Visit(admin, language, "admin");
        await admin.Locator("#adm-staff tr", new() { HasText = "meena.iyer@telemed.local" }).GetByRole(AriaRole.Button).ClickAsync();
        await Assertions.Expect(admin.Locator("#adm-confirm")).ToBeVisibleAsync();
        await Axe.ShouldHaveNoSeriousViolations(admin, $"admin deactivation question ({language})");
        await admin.Keyboard.PressAsync("Escape");

        var verify = await PageIn(language, Phone);
        await verify.GotoAsync($"/verify/{prescriptionId}");
        await Assertions.Expect(verify.Locator("#facts")).ToBeVisibleAsync();
        await Visit(verify, language, "verify");

        var board = await PageIn(language, Desktop);
        await board.GotoAsync($"/board.html?facility={Facility}");
        try
        {
            await Assertions.Expect(board.Locator($"section[data-session='{sessionId}'] .serving .tokens")).ToHaveTextAsync("1");
        }
        catch (PlaywrightException missing)
        {
            var shown = await board.Locator("section").EvaluateAllAsync<string[]>("lines => lines.map(l => l.dataset.session + ': ' + l.textContent)");
            var session = await (await fixture.Send(HttpMethod.Get, $"/api/sessions/{sessionId}", await fixture.SignIn("asha.verma@telemed.local"))).Content.ReadAsStringAsync();
            throw new InvalidOperationException($"The board does not show session {sessionId} as serving 1.\nBoard:\n{string.Join("\n", shown)}\nSession: {session}", missing);
        }
        await Visit(board, language, "board");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("hi")]
    public async Task The_patients_records_prescription_consents_and_access_log_have_no_serious_accessibility_violations(string language)
    {
        var (prescriptionId, _) = await Pages.IssuePrescription(fixture, "+919812345678");
        var patient = await PageIn(language, Phone);
        await Pages.SignInPatient(patient, fixture, "9812345678");
        await patient.ClickAsync("#records-open");
        // Newest first: the prescription just issued.
        await patient.Locator("#records button[data-action='show-prescription']").First.ClickAsync();
        await Assertions.Expect(patient.Locator($"#prescription[data-prescription='{prescriptionId}']")).ToBeVisibleAsync();
        await Assertions.Expect(patient.Locator("#access-log tbody tr").First).ToBeVisibleAsync();
        await Visit(patient, language, "patient-records");
    }

    /// <summary>
    /// A new patient's first pages (the sign-in, then the registration a new number leads to) in each further language
    /// on a small phone: in that language from the first paint, its choices preselected, nothing wider than the screen,
    /// and no serious accessibility violation. The sign-in code arrives by SMS in that language on the way.
    /// </summary>
    [Theory]
    [InlineData("bn", "6300000101")]
    [InlineData("mr", "6300000102")]
    [InlineData("te", "6300000103")]
    [InlineData("ta", "6300000104")]
    [InlineData("gu", "6300000105")]
    [InlineData("kn", "6300000106")]
    [InlineData("ml", "6300000107")]
    [InlineData("or", "6300000108")]
    [InlineData("pa", "6300000109")]
    public async Task A_new_patient_s_first_pages_read_in_each_language_on_a_small_phone(string language, string mobile)
    {
        var page = await PageIn(language, new() { Width = 360, Height = 740 });
        await page.GotoAsync("/");
        await Visit(page, language, "signin");
        (await page.Locator("#signin h2").InnerTextAsync()).ShouldNotBe("Sign in");
        await Assertions.Expect(page.Locator("#language")).ToHaveValueAsync(language);
        await Assertions.Expect(page.Locator($"#patient-language input[value='{language}']")).ToBeCheckedAsync();
        (await Pages.WiderThanTheScreen(page)).ShouldBeEmpty($"nothing wider than a 360 px phone on the sign-in page in {language}");

        await Pages.SignInPatient(page, fixture, mobile);

        await Assertions.Expect(page.Locator("#register-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#register-language")).ToHaveValueAsync(language);
        await Visit(page, language, "register");
        (await Pages.WiderThanTheScreen(page)).ShouldBeEmpty($"nothing wider than a 360 px phone on the registration in {language}");
    }

    [Fact]
    public async Task The_language_switch_translates_the_page_and_is_remembered()
    {
        var page = await fixture.NewPage();
        await page.GotoAsync("/");
        await Assertions.Expect(page.Locator("#signin h2")).ToHaveTextAsync("Sign in");

        await page.SelectOptionAsync("#language", "hi");

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "hi");
        await Assertions.Expect(page.Locator("#signin h2")).ToHaveTextAsync("साइन इन करें");
        await Assertions.Expect(page.Locator("#language")).ToHaveValueAsync("hi");
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#signin h2")).ToHaveTextAsync("साइन इन करें");
    }

    /// <summary>A page whose browser context starts every document in the given language, as if chosen with the switch before.</summary>
    private async Task<IPage> PageIn(string language, ViewportSize viewport)
    {
        var page = await fixture.NewPage();
        await page.Context.AddInitScriptAsync($"localStorage.setItem('telemed.language', '{language}')");
        await page.SetViewportSizeAsync(viewport.Width, viewport.Height);
        return page;
    }

    /// <summary>Checks the page is in the language, runs axe, and photographs it for the README (all pages in English; the patient's and the board in Hindi too).</summary>
    private static async Task Visit(IPage page, string language, string name)
    {
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Axe.ShouldHaveNoSeriousViolations(page, $"{name} ({language})");
        if (language == "en" || name is "waiting-room" or "board")
        {
            await page.ScreenshotAsync(new() { Path = Path.Combine(Screenshots, $"{name}-{language}.png"), FullPage = true });
        }
    }
}
