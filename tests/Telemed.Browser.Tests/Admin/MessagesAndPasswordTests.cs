using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Telemed.Browser.Tests.Support;

namespace Telemed.Browser.Tests.Admin;

/// <summary>The admin's view of message delivery, and any staff member changing their own password from the header.</summary>
[Collection(OneAtATime.Name)]
public class MessagesAndPasswordTests(BrowserFixture fixture) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task The_admin_sees_a_sign_in_code_sent_with_the_number_masked_and_no_code_on_a_phone_and_the_state_filter_narrows_the_list()
    {
        const string mobile = "+919876501234";
        var asked = DateTimeOffset.UtcNow;
        await fixture.Send(HttpMethod.Post, "/api/auth/otp", null, new { mobile });
        var code = await fixture.LatestCode(mobile, asked);
        // The sink has it; the dispatcher records the hand-over a moment later.
        var admin = await fixture.SignIn("admin@telemed.local");
        for (var attempt = 0; ; attempt++)
        {
            var sent = await (await fixture.Send(HttpMethod.Get, "/api/admin/messages?state=sent", admin)).Content.ReadFromJsonAsync<JsonElement>();
            if (sent.EnumerateArray().Any(m => m.GetProperty("template").GetString() == "SignInCode"))
            {
                break;
            }
            attempt.ShouldBeLessThan(200, "the sign-in code is recorded as sent");
            await Task.Delay(50);
        }

        var page = await fixture.NewPage();
        await page.SetViewportSizeAsync(360, 740);
        await Pages.SignInAdmin(page);
        var row = page.Locator("#adm-messages tbody tr", new() { HasText = "+91******1234", Has = page.Locator("[data-column='template']", new() { HasText = "SignInCode" }) });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("[data-column='to']")).ToHaveTextAsync("+91******1234");
        await Assertions.Expect(row.Locator("[data-column='channel']")).ToHaveTextAsync("SMS");
        await Assertions.Expect(row.Locator("[data-column='state']")).ToHaveTextAsync("Sent");
        await Assertions.Expect(row.Locator("[data-column='attempts']")).ToHaveTextAsync("1");
        await Assertions.Expect(row.Locator("[data-column='provider']")).ToHaveTextAsync(new Regex("^sink-"));
        await Assertions.Expect(row).ToHaveAttributeAsync("data-state", "sent");
        var shown = await page.Locator("#admin").InnerTextAsync();
        shown.ShouldNotContain("9876501234", customMessage: "the number is masked");
        Regex.IsMatch(shown, $@"\b{code}\b").ShouldBeFalse("a message's text and variables never reach the page");
        (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(360);
        await Axe.ShouldHaveNoSeriousViolations(page, "admin home with messages");

        // Only what has failed for good: none here.
        await page.SelectOptionAsync("#adm-message-state", "deadLettered");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#adm-messages-status")).ToHaveTextAsync("No messages in this state.");
        await page.SelectOptionAsync("#adm-message-state", "sent");
        await Assertions.Expect(row).ToHaveCountAsync(1);
        (await page.TextContentAsync("#error")).ShouldBeNullOrEmpty();
    }

    [Fact]
    public async Task A_health_officer_changes_their_password_after_a_wrong_current_one_and_a_weak_new_one_then_only_the_new_one_signs_in()
    {
        var email = $"officer.{Guid.NewGuid():N}@health.example.in";
        await fixture.Send(HttpMethod.Post, "/api/admin/health-officers", await fixture.SignIn("admin@telemed.local"),
            new { name = "Dr. Farida Khan", email, password = "first-password-2026" });
        var page = await fixture.NewPage();
        await Pages.SignInStaff(page, email, password: "first-password-2026");
        await Assertions.Expect(page.Locator("#analytics")).ToBeVisibleAsync();

        await page.ClickAsync("#change-password");
        await Assertions.Expect(page.Locator("#password-dialog")).ToBeVisibleAsync();
        await page.FillAsync("#password-current", "not-my-password");
        await page.FillAsync("#password-new", "second-password-2026");
        await page.FillAsync("#password-repeat", "second-password-2026");
        await page.ClickAsync("#password-save");
        await Assertions.Expect(page.Locator("#password-current-error")).ToHaveTextAsync("The current password is wrong.");
        await Assertions.Expect(page.Locator("#password-current")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#password-current")).ToBeFocusedAsync();

        await page.FillAsync("#password-current", "first-password-2026");
        await page.FillAsync("#password-new", "short");
        await page.FillAsync("#password-repeat", "short");
        await page.ClickAsync("#password-save");
        await Assertions.Expect(page.Locator("#password-new-error")).ToHaveTextAsync("The new password needs at least 10 characters (at most 128).");
        await Assertions.Expect(page.Locator("#password-current-error")).ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("#password-new")).ToBeFocusedAsync();
        await Axe.ShouldHaveNoSeriousViolations(page, "change password form with an error");

        await page.FillAsync("#password-new", "second-password-2026");
        await page.FillAsync("#password-repeat", "second-password-2026");
        await page.ClickAsync("#password-save");
        await Assertions.Expect(page.Locator("#signin")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#signin-status")).ToContainTextAsync("Your password is changed");
        await Assertions.Expect(page.Locator("#change-password")).ToBeHiddenAsync();
        await Assertions.Expect(page.Locator("#who")).ToBeEmptyAsync();

        (await fixture.Http.PostAsJsonAsync("/api/auth/sign-in", new { email, password = "first-password-2026" })).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        await page.FillAsync("#email", email);
        await page.FillAsync("#password", "second-password-2026");
        await page.ClickAsync("#staff-signin");
        await Assertions.Expect(page.Locator("#analytics")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#who")).ToHaveTextAsync("Health officer");
        (await page.TextContentAsync("#error")).ShouldBeNullOrEmpty();
    }
}
