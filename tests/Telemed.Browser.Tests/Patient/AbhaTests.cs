using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Telemed.AbdmSimulator;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Patient;

/// <summary>Patients on a phone verify or create their ABHA through ABDM (the simulator) and check in with it shown as verified.</summary>
[Collection(OneAtATime.Name)]
public class AbhaTests(WithAbdm fixture) : IClassFixture<WithAbdm>
{
    /// <summary>A step that waits on ABDM: the server's first calls also fetch a session token and ABDM's key, on a busy machine.</summary>
    private static readonly LocatorAssertionsToHaveTextOptions AbdmAnswered = new() { Timeout = 30_000 };

    [Fact]
    public async Task On_a_phone_a_patient_verifies_their_abha_by_otp_sees_it_verified_checks_in_and_an_admin_sees_her_visit_linked_to_it()
    {
        fixture.CallBackTheServer();
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Server.Address.ToString(), ViewportSize = new ViewportSize { Width = 360, Height = 740 }, IsMobile = true, HasTouch = true,
        });
        var phone = await context.NewPageAsync();
        await Pages.SignInPatient(phone, fixture, "9876543210");
        var abha = phone.Locator("#abha");
        await Assertions.Expect(abha.Locator("#abha-status")).ToContainTextAsync("Given by you, not verified: 91-1111-2222-3333");

        await phone.ClickAsync("#abha-verify-open");
        await phone.FillAsync("#abha-id", "91-1111-2222-3333");
        var asked = DateTimeOffset.UtcNow;
        await phone.ClickAsync("#abha-verify-send");
        await Assertions.Expect(phone.Locator("#abha-otp-sent")).ToHaveTextAsync("OTP sent to mobile number ending with ******3210", AbdmAnswered);
        await phone.FillAsync("#abha-otp", await fixture.Abdm.LatestOtp("9876543210", asked));
        await phone.ClickAsync("#abha-otp-submit");

        await Assertions.Expect(phone.Locator("#abha-progress")).ToHaveTextAsync("Your ABHA is verified and linked.", AbdmAnswered);
        await Assertions.Expect(abha.Locator("#abha-status")).ToContainTextAsync("Verified through ABDM: ABHA 91-1111-2222-3333 (priya.sharma@sbx)");
        await Assertions.Expect(abha.Locator("#abha-status")).ToContainTextAsync("Proved with an OTP to the mobile on the ABHA.");
        await Assertions.Expect(phone.Locator("#abha-verify-open")).ToBeHiddenAsync();
        await Assertions.Expect(phone.Locator("#abha-card")).ToBeVisibleAsync();
        (await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 360")).ShouldBeTrue("the page keeps to the phone's width");

        await Pages.OpenCheckIn(phone, sessionId);
        await phone.ClickAsync("#checkin-submit");
        await Assertions.Expect(phone.Locator("#token")).ToHaveTextAsync("1");
        await context.CloseAsync();

        // Her completed visit is linked to the verified ABHA by Telemed as HIP; the admin follows the link on their page.
        var doctor = await fixture.SignIn("asha.verma@telemed.local");
        await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/call-next", doctor);
        var started = await (await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/tokens/1/start", doctor)).Content.ReadFromJsonAsync<JsonElement>();
        var consultationId = started.GetProperty("consultationId").GetGuid();
        var record = $"/api/consultations/{consultationId}/record";
        var etag = (await fixture.Send(HttpMethod.Get, record, doctor)).Headers.ETag!.Tag;
        await fixture.Send(HttpMethod.Put, $"{record}/diagnosis", doctor, new { text = "Viral fever" }, etag);
        await fixture.Send(HttpMethod.Post, $"/api/sessions/{sessionId}/tokens/1/complete", doctor);
        var admin = await fixture.NewPage();
        await Pages.SignInAdmin(admin);
        var link = admin.Locator($"#adm-links tbody tr[data-consultation='{consultationId}']");
        await admin.SelectOptionAsync("#adm-link-state", "linked");
        await admin.ClickAsync("#adm-links-refresh");
        for (var attempt = 0; await link.CountAsync() == 0; attempt++)
        {
            attempt.ShouldBeLessThan(30, "the linker sends the link within its sweep, and ABDM answers");
            await Task.Delay(1_000);
            await admin.ClickAsync("#adm-links-refresh");
        }
        await Assertions.Expect(link.Locator("[data-column='state']")).ToHaveTextAsync("Linked");
        await Assertions.Expect(link.Locator("[data-column='linkedBy']")).ToHaveTextAsync("Telemed");
        await Assertions.Expect(link.Locator("[data-column='consultation']")).ToHaveTextAsync(consultationId.ToString()[..8]);
        await Axe.ShouldHaveNoSeriousViolations(admin, "admin home with Health ID links");
    }

    [Fact]
    public async Task On_a_phone_a_new_patient_registers_creates_an_abha_through_abdms_silence_chooses_its_address_and_checks_in()
    {
        fixture.CallBackTheServer();
        var sessionId = await fixture.OpenSession("asha.verma@telemed.local");
        var mobile = "8" + Random.Shared.NextInt64(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var resident = new Resident(Population.NewAadhaar(), "Meena Iyer", "F", new DateOnly(1990, 5, 6), mobile);
        fixture.Abdm.People.Add(resident);
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Server.Address.ToString(), ViewportSize = new ViewportSize { Width = 360, Height = 740 }, IsMobile = true, HasTouch = true,
        });
        var phone = await context.NewPageAsync();
        await Pages.SignInPatient(phone, fixture, mobile);
        await Assertions.Expect(phone.Locator("#register-form")).ToBeVisibleAsync();
        await phone.FillAsync("#register-name", "Meena Iyer");
        await phone.FillAsync("#register-yearOfBirth", "1990");
        await phone.SelectOptionAsync("#register-sex", "female");
        await phone.ClickAsync("#register-submit");
        await Assertions.Expect(phone.Locator("#welcome-heading")).ToHaveTextAsync("Welcome, Meena Iyer");

        // The ABHA step, inside the welcome: ABDM down (every retry refused), then slow, and the page says which.
        await phone.ClickAsync("#welcome-abha-create");
        var step = phone.Locator("#welcome #abha");
        await Assertions.Expect(step.Locator("#abha-create-form")).ToBeVisibleAsync();
        await phone.FillAsync("#abha-aadhaar", resident.Aadhaar);
        await phone.CheckAsync("#abha-consent");
        fixture.Abdm.State.Faults.FailNext(3, 503, "/abha/api/v3/enrollment/request/otp");
        await phone.ClickAsync("#abha-create-send");
        await Assertions.Expect(step.Locator("#abha-problem")).ToHaveTextAsync(
            "ABDM is not answering: Telemed tried several times. Nothing was changed; please try again in a minute.", AbdmAnswered);
        await phone.FillAsync("#abha-aadhaar", resident.Aadhaar);
        fixture.Abdm.State.Faults.DelayNext(1, TimeSpan.FromSeconds(4), "/abha/api/v3/enrollment/request/otp");
        var asked = DateTimeOffset.UtcNow;
        await phone.ClickAsync("#abha-create-send");
        await Assertions.Expect(step.Locator("#abha-progress")).ToHaveTextAsync(
            "Still waiting for ABDM: it is slow to answer and Telemed keeps trying. Please wait.", AbdmAnswered);
        await Assertions.Expect(step.Locator("#abha-otp-form")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await phone.FillAsync("#abha-otp", await fixture.Abdm.LatestOtp(mobile, asked));
        await phone.ClickAsync("#abha-otp-submit");

        // A new ABHA: one of ABDM's suggested addresses, or one typed.
        await Assertions.Expect(step.Locator("#abha-address-form")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        var suggested = step.Locator("#abha-address-suggestions input[type=radio]");
        await Assertions.Expect(suggested.First).ToBeCheckedAsync();
        var own = $"meena_{Random.Shared.Next(10_000, 99_999)}";
        await phone.FillAsync("#abha-address-own", own);
        await phone.ClickAsync("#abha-address-submit");
        await Assertions.Expect(step.Locator("#abha-progress")).ToHaveTextAsync($"Your ABHA address is {own}@sbx.", AbdmAnswered);
        var number = fixture.Abdm.People.ByResident(resident)!.Number;
        await Assertions.Expect(step.Locator("#abha-status")).ToContainTextAsync($"Verified through ABDM: ABHA {number} ({own}@sbx)");
        await Assertions.Expect(step.Locator("#abha-status")).ToContainTextAsync("Created here with your Aadhaar.");
        (await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= 360")).ShouldBeTrue("the page keeps to the phone's width");
        await Assertions.Expect(phone.Locator("#welcome-later")).ToHaveTextAsync("Continue");
        await phone.ClickAsync("#welcome-later");
        await Assertions.Expect(phone.Locator("#welcome")).ToBeHiddenAsync();
        await Assertions.Expect(phone.Locator("#profile + #abha #abha-status")).ToContainTextAsync($"({own}@sbx)");

        await Pages.OpenCheckIn(phone, sessionId);
        await phone.ClickAsync("#checkin-submit");
        await Assertions.Expect(phone.Locator("#token")).ToHaveTextAsync("1");
        await context.CloseAsync();
    }
}
