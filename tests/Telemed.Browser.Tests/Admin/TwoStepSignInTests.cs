using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;
using Telemed.Domain.Identity;

namespace Telemed.Browser.Tests.Admin;

/// <summary>Two-step sign-in in the page: the admin's code after the password, and a doctor setting up and turning off an authenticator app.</summary>
[Collection(OneAtATime.Name)]
public class TwoStepSignInTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_admin_types_the_authenticators_code_after_the_password_and_a_wrong_one_is_named()
    {
        var page = await fixture.NewPage();
        await Pages.SignInStaff(page, "admin@telemed.local");

        await Assertions.Expect(page.Locator("#mfa-form")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#staff-form")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#mfa-code")).ToBeFocusedAsync();
        await page.FillAsync("#mfa-code", "000000");
        await page.ClickAsync("#mfa-submit");
        await Assertions.Expect(page.Locator("#error")).ToHaveTextAsync("The code is wrong.");
        await Assertions.Expect(page.Locator("#admin")).ToBeHiddenAsync();

        await page.FillAsync("#mfa-code", await DemoAdminCodes.Next(fixture.Server.Address));
        await page.ClickAsync("#mfa-submit");
        await Assertions.Expect(page.Locator("#admin")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#mfa-manage")).ToBeVisibleAsync();
        await page.ClickAsync("#mfa-manage");
        await Assertions.Expect(page.Locator("#mfa-status")).ToContainTextAsync("Administrators keep two-step sign-in on");
        await Assertions.Expect(page.Locator("#mfa-off")).ToBeHiddenAsync();

        // Admins keep it on, and take new recovery codes with a current code.
        await Assertions.Expect(page.Locator("#mfa-renew")).ToBeVisibleAsync();
        await page.FillAsync("#mfa-renew-code", await DemoAdminCodes.Next(fixture.Server.Address));
        await page.ClickAsync("#mfa-renew-submit");
        await Assertions.Expect(page.Locator("#mfa-recovery-codes li")).ToHaveCountAsync(10);
        await Assertions.Expect(page.Locator("#mfa-status")).ToHaveTextAsync("These are your new recovery codes: the ones before no longer work.");
        await Axe.ShouldHaveNoSeriousViolations(page, "new recovery codes");
        await page.ClickAsync("#mfa-close");
        await page.ClickAsync("#mfa-manage");
        await Assertions.Expect(page.Locator("#mfa-status")).ToContainTextAsync("Recovery codes left: 10");
    }

    [Fact]
    public async Task A_doctor_sets_up_an_authenticator_app_gets_recovery_codes_once_signs_in_with_a_code_and_turns_it_off_in_hindi_too()
    {
        const string email = "rahul.nair@telemed.local";
        var page = await fixture.NewPage();
        await Pages.SignInStaff(page, email);
        await page.ClickAsync("#mfa-manage");
        await Assertions.Expect(page.Locator("#mfa-status")).ToContainTextAsync("Two-step sign-in is off");
        await page.ClickAsync("#mfa-start");
        await Assertions.Expect(page.Locator("#mfa-qr")).ToHaveAttributeAsync("src", new System.Text.RegularExpressions.Regex("^data:image/png;base64,"));
        var secret = TotpCodes.FromBase32((await page.TextContentAsync("#mfa-secret"))!);
        await Assertions.Expect(page.Locator("#mfa-uri")).ToContainTextAsync("otpauth://totp/Telemed:");
        await page.FillAsync("#mfa-setup-code", "000000");
        await page.ClickAsync("#mfa-confirm");
        await Assertions.Expect(page.Locator("#mfa-failed")).ToContainTextAsync("The code is wrong");
        await page.FillAsync("#mfa-setup-code", TotpCodes.Code(secret, DateTimeOffset.UtcNow));
        await page.ClickAsync("#mfa-confirm");
        await Assertions.Expect(page.Locator("#mfa-recovery-codes li")).ToHaveCountAsync(10);
        var recovery = (await page.Locator("#mfa-recovery-codes li").AllTextContentsAsync())[0];
        await page.ClickAsync("#mfa-close");
        await page.ClickAsync("#mfa-manage");
        await Assertions.Expect(page.Locator("#mfa-status")).ToContainTextAsync("Recovery codes left: 10");
        await Assertions.Expect(page.Locator("#mfa-recovery-codes li")).ToHaveCountAsync(0);

        var again = await fixture.NewPage();
        await Pages.SignInStaff(again, email);
        await Assertions.Expect(again.Locator("#mfa-form")).ToBeVisibleAsync();
        await again.SelectOptionAsync("#language", "hi");
        await Assertions.Expect(again.Locator("#mfa-form-heading")).ToHaveTextAsync("आपके ऑथेंटिकेटर ऐप का कोड");
        await again.FillAsync("#mfa-code", TotpCodes.Code(secret, DateTimeOffset.UtcNow.AddSeconds(TotpCodes.StepSeconds)));
        await again.ClickAsync("#mfa-submit");
        await Assertions.Expect(again.Locator("#doctor")).ToBeVisibleAsync();

        await again.ClickAsync("#mfa-manage");
        await again.FillAsync("#mfa-off-code", recovery);
        await again.ClickAsync("#mfa-disable");
        await Assertions.Expect(again.Locator("#mfa-status")).ToHaveTextAsync("दो-चरण साइन-इन बंद हो गया है।");
        await Assertions.Expect(again.Locator("#mfa-start")).ToBeVisibleAsync();
    }
}
