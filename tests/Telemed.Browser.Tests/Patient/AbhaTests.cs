using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Patient;

/// <summary>A patient on a phone verifies their ABHA through ABDM (the simulator) and checks in with it shown as verified.</summary>
public class AbhaTests(WithAbdm fixture) : IClassFixture<WithAbdm>
{
    /// <summary>A step that waits on ABDM: the server's first calls also fetch a session token and ABDM's key, on a busy machine.</summary>
    private static readonly LocatorAssertionsToHaveTextOptions AbdmAnswered = new() { Timeout = 30_000 };

    [Fact]
    public async Task On_a_phone_a_patient_verifies_their_abha_by_otp_sees_it_verified_and_checks_in()
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
    }
}
